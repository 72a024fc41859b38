//! `POST /api/v1/sessions` (sign in) and `DELETE /api/v1/sessions/current` (sign out).
//!
//! Rules (decided by the application layer): a failed sign-in is 401 and
//! looks the same whether or not the account exists; too many failures lock
//! the login name for a while (429). The answer carries the session token
//! (send it as `Authorization: Bearer`) and the session's CSRF token (only
//! needed when the same session is used through the cookie). The server
//! keeps only the token's hash. Signing out ends the session at once.

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use onetrip_app::AppError;
use onetrip_domain::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::Writer;
use crate::api::invalid_body;
use crate::api::me::PrincipalView;
use crate::problem::{ApiError, ApiJson, Problem};
use crate::session::{CurrentSession, SESSION_COOKIE, Via, set_cookie};
use crate::state::AppState;

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInRequest {
    /// `staff` (login name) or `applicant` (ID number or credit code).
    #[schema(example = "staff")]
    pub kind: String,
    /// Staff login name, or the applicant's ID number / credit code.
    #[schema(example = "admin")]
    pub username: String,
    /// Password.
    pub password: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// Bearer token; shown once, the server keeps only its hash.
    pub token: String,
    /// The session's CSRF token, for `X-CSRF-Token` on cookie-authenticated writes.
    pub csrf_token: String,
    /// Absolute expiry (microseconds since the Unix epoch).
    pub expires_at: i64,
    /// Who signed in.
    pub principal: PrincipalView,
}

/// Signs in.
#[utoipa::path(
    post,
    path = "/api/v1/sessions",
    tag = "sessions",
    request_body = SignInRequest,
    responses(
        (status = 201, description = "Signed in", body = SessionCreated),
        (status = 401, description = "Wrong login name or password (the same for unknown accounts)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`kind` is neither `staff` nor `applicant`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failures; the login name is locked for a while", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentSession,
    ApiJson(req): ApiJson<SignInRequest>,
) -> Result<Response, ApiError> {
    let client = current.client;
    let signed_in = match req.kind.as_str() {
        "staff" => {
            state
                .app
                .sign_in_staff(&req.username, &req.password, &client)
                .await?
        }
        "applicant" => {
            state
                .app
                .sign_in_applicant(&req.username, &req.password, &client)
                .await?
        }
        _ => {
            return Err(invalid_body(vec![FieldError::new(
                "kind",
                "invalid_kind",
                "应为 staff 或 applicant / kind must be staff or applicant",
            )]));
        }
    };
    let Some(session) = state.app.session(&signed_in.token).await? else {
        return Err(AppError::Internal("a new session could not be read back".to_owned()).into());
    };
    let body = SessionCreated {
        token: signed_in.token,
        csrf_token: signed_in.csrf_token,
        expires_at: session.record.expires_at_micros,
        principal: PrincipalView::from(&signed_in.principal),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Signs out: ends the session used by this request.
#[utoipa::path(
    delete,
    path = "/api/v1/sessions/current",
    tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Cookie session without `X-CSRF-Token`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_current(
    State(state): State<AppState>,
    writer: Writer,
) -> Result<Response, ApiError> {
    let caller = writer.0;
    state.app.sign_out(&caller.session, &caller.client).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if caller.via == Via::Cookie
        && let Ok(v) = HeaderValue::from_str(&set_cookie(
            SESSION_COOKIE,
            "",
            Some(0),
            true,
            state.app.config.security.cookie_secure,
        ))
    {
        response.headers_mut().append(SET_COOKIE, v);
    }
    Ok(response)
}
