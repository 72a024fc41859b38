//! `POST /api/v1/applicants` — public registration of an applicant account.
//!
//! Rules (decided by the application layer): the identifier is a resident
//! ID number (GB 11643) for a natural person or a unified social credit
//! code (GB 32100) for a legal entity, and its check character is verified
//! (422 `identifier` / `invalid_check_digit`); every bad field is reported
//! at once and nothing is stored; an identifier already registered is 409.
//! The endpoint is anonymous: it ignores any session the request carries,
//! never signs anybody in and sets no cookie, so it needs no CSRF token and
//! a cookie session cannot be used through it. The answer masks the
//! identifier (`110***********002X`) and the mobile number (`138****5678`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_app::applicants::RegistrationForm;
use onetrip_domain::identity::mask_phone;
use onetrip_store::ApplicantRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::problem::{ApiError, ApiJson, Problem};
use crate::state::AppState;

/// A registration.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RegistrationRequest {
    /// `natural_person` or `legal_entity`.
    #[schema(example = "natural_person")]
    pub kind: String,
    /// Resident ID number or unified social credit code.
    #[schema(example = "11010519491231002X")]
    pub identifier: String,
    /// Name of the person or enterprise.
    pub name: String,
    /// Mobile number (11 digits starting with 1).
    #[schema(example = "13812345678")]
    pub mobile: String,
    /// E-mail (optional).
    pub email: String,
    /// Password: at least 10 characters with letters and digits.
    pub password: String,
}

/// An applicant account, with the identifier and the mobile number masked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicantView {
    /// Id.
    pub id: i64,
    /// `natural_person` or `legal_entity`.
    pub kind: String,
    /// Masked identifier, for example `110***********002X`.
    #[schema(example = "110***********002X")]
    pub identifier: String,
    /// Name of the person or enterprise.
    pub name: String,
    /// Masked mobile number, for example `138****5678`.
    #[schema(example = "138****5678")]
    pub mobile: String,
    /// E-mail, if given.
    pub email: Option<String>,
}

impl From<&ApplicantRecord> for ApplicantView {
    fn from(a: &ApplicantRecord) -> Self {
        Self {
            id: a.id,
            kind: a.identity.kind().to_owned(),
            identifier: a.identity.masked(),
            name: a.name.clone(),
            mobile: mask_phone(&a.mobile),
            email: a.email.clone(),
        }
    }
}

/// Registers an applicant.
#[utoipa::path(
    post,
    path = "/api/v1/applicants",
    tag = "applicants",
    request_body = RegistrationRequest,
    responses(
        (status = 201, description = "Registered (identifier and mobile masked)", body = ApplicantView),
        (status = 409, description = "The identifier is registered already", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, each listed (for example `identifier` / `invalid_check_digit`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RegistrationRequest>,
) -> Result<(StatusCode, Json<ApplicantView>), ApiError> {
    let form = RegistrationForm {
        kind: req.kind,
        identifier: req.identifier,
        name: req.name,
        mobile: req.mobile,
        email: req.email,
        password: req.password,
    };
    let applicant = state.app.register_applicant(&form).await?;
    Ok((StatusCode::CREATED, Json(ApplicantView::from(&applicant))))
}
