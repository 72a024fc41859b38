//! `GET /hall/{centre}/{hall}/kiosk` — the self-service kiosk (自助取号):
//! one big button per category with its waiting count, an optional mobile
//! number for the "your turn is near" SMS, and appointment check-in by the
//! eight-digit booking code.
//!
//! `POST …/kiosk/ticket` (`category`, `phone`) takes an ordinary ticket
//! (linked to the signed-in applicant, if any) and `POST …/kiosk/check-in`
//! (`code`) checks a booking in; both answer 303 to the holder's page
//! `/tickets/{token}`. Rules: the kiosk is public; the CSRF token is
//! checked; bad input re-renders the kiosk with an error summary naming
//! the field (422); an unknown hall is 404.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_app::auth::Principal;
use onetrip_domain::{FieldError, ValidationErrors};
use onetrip_store::HallKey;

use super::{CategoryView, categories_with_waiting, place};
use crate::page::{PageCtx, PageError, PageResult, render_status};
use crate::pages::admin::{check_csrf, error_for, field, parse_pairs, see_other};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "hall/kiosk.html")]
struct KioskPage {
    page: PageCtx,
    base: String,
    hall_name: String,
    categories: Vec<CategoryView>,
    phone: String,
    code: String,
    errors: Vec<FieldError>,
}

impl KioskPage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        crate::page::field_id(path.as_ref())
    }
}

async fn render_kiosk(
    state: &AppState,
    page: PageCtx,
    key: &HallKey,
    phone: &str,
    code: &str,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> PageResult {
    let place = place(state, &page, key).await?;
    let categories = categories_with_waiting(state, &page, key).await?;
    Ok(render_status(
        status,
        &KioskPage {
            base: format!("/hall/{}/{}", key.centre, key.hall),
            hall_name: format!(
                "{} {}",
                page.lang.pick(&place.centre.name),
                page.lang.pick(&place.hall.name)
            ),
            categories,
            phone: phone.to_owned(),
            code: code.to_owned(),
            errors,
            page,
        },
    ))
}

/// Shows the kiosk.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path((centre, hall)): Path<(String, String)>,
) -> PageResult {
    let key = HallKey::new(centre, hall);
    render_kiosk(&state, page, &key, "", "", Vec::new(), StatusCode::OK).await
}

/// Takes a ticket.
pub async fn take_ticket(
    State(state): State<AppState>,
    page: PageCtx,
    Path((centre, hall)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let key = HallKey::new(centre, hall);
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let category = field(&pairs, "category").trim().to_owned();
    let phone = field(&pairs, "phone").trim().to_owned();
    let cats = super::categories(&state, &page, &key).await?;
    let result = if cats.iter().any(|c| c.category.code == category) {
        let applicant = match page.principal() {
            Some(Principal::Applicant(a)) => Some(a.clone()),
            _ => None,
        };
        let phone_arg = (!phone.is_empty()).then_some(phone.as_str());
        state
            .app
            .take_ticket_at_kiosk(&key, &category, phone_arg, applicant.as_ref())
            .await
    } else {
        Err(AppError::Invalid(ValidationErrors::single(
            "category",
            "unknown_category",
            page.t("hall.err.category"),
        )))
    };
    match result {
        Ok(ticket) => Ok(see_other(&format!("/tickets/{}", ticket.token))),
        Err(AppError::Invalid(v)) => {
            render_kiosk(
                &state,
                page,
                &key,
                &phone,
                "",
                v.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::NotFound(_)) => Err(PageError::not_found(&page)),
        Err(e) => Err(PageError::from_app(&page, e)),
    }
}

/// Checks an appointment in.
pub async fn check_in(
    State(state): State<AppState>,
    page: PageCtx,
    Path((centre, hall)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let key = HallKey::new(centre, hall);
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let code = field(&pairs, "code").trim().to_owned();
    match state.app.check_in_appointment(&key, &code).await {
        Ok((_, ticket)) => Ok(see_other(&format!("/tickets/{}", ticket.token))),
        Err(AppError::Invalid(v)) => {
            render_kiosk(
                &state,
                page,
                &key,
                "",
                &code,
                v.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        // An unknown code, another hall's booking, too early or already
        // checked in: the code is what the visitor can fix, so it is named.
        Err(AppError::NotFound(_)) => {
            let errors = vec![FieldError::new(
                "code",
                "unknown_code",
                page.t("hall.err.code_unknown"),
            )];
            render_kiosk(
                &state,
                page,
                &key,
                "",
                &code,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(message)) => {
            let errors = vec![FieldError::new("code", "conflict", message)];
            render_kiosk(&state, page, &key, "", &code, errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(PageError::from_app(&page, e)),
    }
}
