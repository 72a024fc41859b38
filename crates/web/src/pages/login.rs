//! `GET /login` and `POST /login` — staff and applicant sign-in.
//!
//! A failed sign-in shows the same message whether or not the account
//! exists; repeated failures lock the login name for a while (429).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use onetrip_app::AppError;
use serde::Deserialize;

use crate::page::{PageCtx, PageError, PageResult, parse_form, render, render_status, safe_next};
use crate::session::{SESSION_COOKIE, set_cookie};
use crate::state::AppState;

/// Query of the sign-in page.
#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    /// Where to go afterwards.
    pub next: Option<String>,
    /// `staff` or `applicant`.
    pub kind: Option<String>,
    /// Set after a registration.
    pub registered: Option<String>,
}

/// The submitted form.
#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    /// `staff` or `applicant`.
    #[serde(default)]
    pub kind: String,
    /// User name or identifier.
    #[serde(default)]
    pub username: String,
    /// Password.
    #[serde(default)]
    pub password: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf_token: String,
    /// Where to go afterwards.
    #[serde(default)]
    pub next: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageCtx,
    kind: String,
    username: String,
    next: String,
    error: Option<String>,
    registered: bool,
}

/// Shows the sign-in form.
pub async fn show(page: PageCtx, Query(q): Query<LoginQuery>) -> PageResult {
    let kind = if q.kind.as_deref() == Some("applicant") {
        "applicant"
    } else {
        "staff"
    };
    Ok(render(&LoginPage {
        kind: kind.to_owned(),
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
        registered: q.registered.is_some(),
        page,
    }))
}

/// Signs in and sets the session cookie.
pub async fn submit(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let form: LoginForm = parse_form(&page, &body)?;
    if !page.current.csrf_ok(&form.csrf_token) {
        return Err(PageError::csrf(&page));
    }
    let client = page.current.client.clone();
    let result = if form.kind == "applicant" {
        state
            .app
            .sign_in_applicant(&form.username, &form.password, &client)
            .await
    } else {
        state
            .app
            .sign_in_staff(&form.username, &form.password, &client)
            .await
    };
    match result {
        Ok(signed_in) => {
            let secure = state.app.config.security.cookie_secure;
            let max_age = i64::from(state.app.config.security.session_ttl_hours) * 3600;
            let mut response = Redirect::to(&safe_next(Some(&form.next))).into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            if let Ok(v) = HeaderValue::from_str(&set_cookie(
                SESSION_COOKIE,
                &signed_in.token,
                Some(max_age),
                true,
                secure,
            )) {
                response.headers_mut().append(SET_COOKIE, v);
            }
            Ok(response)
        }
        Err(err @ (AppError::BadCredentials | AppError::TooManyAttempts)) => {
            let status = if matches!(err, AppError::TooManyAttempts) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            let view = LoginPage {
                kind: if form.kind == "applicant" {
                    "applicant".to_owned()
                } else {
                    "staff".to_owned()
                },
                username: form.username.chars().take(64).collect(),
                next: safe_next(Some(&form.next)),
                error: Some(err.to_string()),
                registered: false,
                page,
            };
            Ok(render_status(status, &view))
        }
        Err(other) => Err(PageError::from_app(&page, other)),
    }
}
