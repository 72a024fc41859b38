//! The JSON API under `/api/v1`, one file per endpoint group.
//!
//! Rules shared by every endpoint:
//! - inputs arrive through [`crate::problem::ApiJson`], [`crate::problem::ApiQuery`]
//!   and [`crate::problem::ApiPath`], so every rejection is a problem body;
//! - every error is an `application/problem+json` body ([`crate::problem::Problem`]);
//! - who may do what is decided by the application layer; handlers only
//!   find out who is calling ([`auth::Caller`], [`auth::Writer`]);
//! - cookie-authenticated writes must carry the session's CSRF token in
//!   `X-CSRF-Token`; bearer requests need none;
//! - applicants' ID numbers, credit codes and phone numbers are always masked.

pub mod applicants;
pub mod auth;
pub mod case_actions;
pub mod case_extras;
pub mod case_materials;
pub mod cases;
pub mod catalogue_export;
pub mod catalogue_import;
pub mod departments;
pub mod drafts;
pub mod hall;
pub mod hall_appointments;
pub mod hall_reports;
pub mod hall_window;
pub mod items;
pub mod life_events;
pub mod me;
pub mod regions;
pub mod roles;
pub mod search;
pub mod service_centres;
pub mod sessions;
pub mod sharing;
pub mod staff;
pub mod tasks;

use axum::http::StatusCode;
use onetrip_domain::FieldError;
use onetrip_domain::text::Text;
use serde::Serialize;
use utoipa::ToSchema;

use onetrip_domain::region::RegionCode;

use crate::problem::ApiError;
use crate::state::AppState;

/// A name in Simplified Chinese with its English rendering.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TextView {
    /// 中文.
    pub zh: String,
    /// English (may be empty).
    pub en: String,
}

impl From<&Text> for TextView {
    fn from(t: &Text) -> Self {
        Self {
            zh: t.zh.clone(),
            en: t.en.clone(),
        }
    }
}

/// A 400 problem naming one bad query or path parameter.
pub fn bad_param(field: &str, code: &str, message: impl Into<String>) -> ApiError {
    let message = message.into();
    ApiError {
        status: StatusCode::BAD_REQUEST,
        code: "invalid_query",
        message: format!("查询参数 {field} 无效 / invalid parameter {field}: {message}"),
        errors: vec![FieldError::new(field, code, message)],
    }
}

/// A 422 naming one bad field of the request body.
pub fn bad_field(field: &str, code: &str, message: &str) -> ApiError {
    invalid_body(vec![FieldError::new(field, code, message)])
}

/// A 422 listing the bad fields of the request body.
pub fn invalid_body(errors: Vec<FieldError>) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_input",
        message: "输入有误，请检查各字段 / the input is invalid".to_owned(),
        errors,
    }
}

/// A query value that was sent but is blank counts as absent.
pub fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Parses a region code query parameter and checks that the region exists.
pub async fn known_region(state: &AppState, value: &str) -> Result<RegionCode, ApiError> {
    let code = RegionCode::parse(value).map_err(|e| {
        let (code, message) = e
            .errors
            .first()
            .map(|f| (f.code.clone(), f.message.clone()))
            .unwrap_or_else(|| ("invalid_region_code".to_owned(), String::new()));
        bad_param("region", &code, message)
    })?;
    let known = state.app.store.list_regions().await.map_err(app_err)?;
    if !known.iter().any(|r| r.code == code) {
        return Err(bad_param(
            "region",
            "unknown_region",
            format!("未知行政区划 {code} / unknown region"),
        ));
    }
    Ok(code)
}

/// A store error as an API error.
pub fn app_err(e: onetrip_store::StoreError) -> ApiError {
    ApiError::from(onetrip_app::AppError::from(e))
}
