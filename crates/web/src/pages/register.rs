//! `GET /register` and `POST /register` — applicant registration. The ID
//! number or credit code is validated by its check digit; every bad field is
//! shown at once and nothing is stored until all are right.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use onetrip_app::AppError;
use onetrip_app::applicants::RegistrationForm;
use onetrip_domain::FieldError;
use serde::Deserialize;

use crate::page::{PageCtx, PageError, PageResult, parse_form, render, render_status};
use crate::state::AppState;

/// The submitted form.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RegisterForm {
    /// `natural_person` or `legal_entity`.
    #[serde(default)]
    pub kind: String,
    /// Identifier.
    #[serde(default)]
    pub identifier: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Mobile.
    #[serde(default)]
    pub mobile: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Password.
    #[serde(default)]
    pub password: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf_token: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    page: PageCtx,
    form: RegisterForm,
    errors: Vec<FieldError>,
}

impl RegisterPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// Shows the form.
pub async fn show(page: PageCtx) -> PageResult {
    Ok(render(&RegisterPage {
        page,
        form: RegisterForm {
            kind: "natural_person".to_owned(),
            ..RegisterForm::default()
        },
        errors: Vec::new(),
    }))
}

/// Registers the applicant.
pub async fn submit(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let form: RegisterForm = parse_form(&page, &body)?;
    if !page.current.csrf_ok(&form.csrf_token) {
        return Err(PageError::csrf(&page));
    }
    let input = RegistrationForm {
        kind: form.kind.clone(),
        identifier: form.identifier.clone(),
        name: form.name.clone(),
        mobile: form.mobile.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
    };
    let errors = match state.app.register_applicant(&input).await {
        Ok(_) => {
            return Ok((
                StatusCode::SEE_OTHER,
                Redirect::to("/login?kind=applicant&registered=1"),
            )
                .into_response());
        }
        Err(AppError::Invalid(v)) => v.errors,
        Err(AppError::Conflict(message)) => vec![FieldError::new("identifier", "taken", message)],
        Err(other) => return Err(PageError::from_app(&page, other)),
    };
    let status = if errors.iter().any(|e| e.code == "taken") {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = RegisterForm {
        password: String::new(),
        ..form
    };
    Ok(render_status(status, &RegisterPage { page, form, errors }))
}
