//! Who is calling the API.
//!
//! Rules: a caller authenticates with `Authorization: Bearer <token>` (the
//! token returned by `POST /api/v1/sessions`) or with the session cookie of
//! the HTML pages. No session → 401 with `WWW-Authenticate: Bearer`. A write
//! authenticated by the cookie must also send the session's CSRF token in
//! `X-CSRF-Token`, else 403; a bearer token is never sent by a browser on
//! its own, so bearer writes need no CSRF token. What the caller may do is
//! decided by the application layer, not here.

use axum::extract::FromRequestParts;
use axum::http::header::WWW_AUTHENTICATE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use onetrip_app::AppError;
use onetrip_app::auth::{ClientInfo, Principal, Session};
use onetrip_domain::access::{Permission, Target};

use crate::problem::ApiError;
use crate::session::{CurrentSession, Via, tokens_match};
use crate::state::AppState;

/// The header carrying the CSRF token on cookie-authenticated writes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Why the caller was turned away before the handler ran.
#[derive(Debug)]
pub struct AuthRejection(pub ApiError);

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let unauthenticated = self.0.status == StatusCode::UNAUTHORIZED;
        let mut response = self.0.into_response();
        if unauthenticated {
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"onetrip\""),
            );
        }
        response
    }
}

impl From<ApiError> for AuthRejection {
    fn from(err: ApiError) -> Self {
        Self(err)
    }
}

/// A signed-in caller, for reads.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The live session.
    pub session: Session,
    /// How the session was presented.
    pub via: Via,
    /// Client address and software.
    pub client: ClientInfo,
}

impl Caller {
    /// Who is acting.
    pub fn principal(&self) -> &Principal {
        &self.session.principal
    }
}

async fn current(parts: &mut Parts, state: &AppState) -> CurrentSession {
    match CurrentSession::from_request_parts(parts, state).await {
        Ok(c) => c,
        Err(never) => match never {},
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let current = current(parts, state).await;
        match current.session {
            Some(session) => Ok(Caller {
                session,
                via: current.via,
                client: current.client,
            }),
            None => Err(ApiError::unauthenticated().into()),
        }
    }
}

/// A signed-in caller allowed to change state: when authenticated by the
/// cookie, the request carried the session's CSRF token in `X-CSRF-Token`.
#[derive(Debug, Clone)]
pub struct Writer(pub Caller);

impl Writer {
    /// Who is acting.
    pub fn principal(&self) -> &Principal {
        self.0.principal()
    }
}

/// The 403 for a cookie-authenticated write without the right CSRF token.
pub fn csrf_failed() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "csrf_failed",
        "缺少或错误的 X-CSRF-Token 请求头 / the X-CSRF-Token header is missing or wrong",
    )
}

impl FromRequestParts<AppState> for Writer {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.via == Via::Cookie {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !tokens_match(sent, &caller.session.record.csrf_token) {
                return Err(csrf_failed().into());
            }
        }
        Ok(Writer(caller))
    }
}

/// Checks that a staff principal holds `permission` (anywhere in its
/// scopes), with the domain's own authorisation — the same check the
/// application layer makes before the corresponding writes. Used for the
/// reads the application layer has no use case for yet (the staff list, a
/// staff member's grants).
pub fn authorize_read(principal: &Principal, permission: Permission) -> Result<(), ApiError> {
    let staff = principal.staff()?;
    staff
        .authorize(permission, &Target::default())
        .map_err(|e| ApiError::from(AppError::from(e)))
}
