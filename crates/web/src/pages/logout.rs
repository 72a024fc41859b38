//! `POST /logout` — ends the current session and clears its cookie.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use crate::page::{PageCtx, PageError, PageResult, parse_form};
use crate::session::{SESSION_COOKIE, set_cookie};
use crate::state::AppState;

/// The submitted form.
#[derive(Debug, Default, Deserialize)]
pub struct LogoutForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf_token: String,
}

/// Signs out.
pub async fn submit(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let form: LogoutForm = parse_form(&page, &body)?;
    if !page.current.csrf_ok(&form.csrf_token) {
        return Err(PageError::csrf(&page));
    }
    if let Some(session) = &page.current.session {
        state
            .app
            .sign_out(session, &page.current.client)
            .await
            .map_err(|e| PageError::from_app(&page, e))?;
    }
    let mut response = Redirect::to("/").into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(&set_cookie(
        SESSION_COOKIE,
        "",
        Some(0),
        true,
        state.app.config.security.cookie_secure,
    )) {
        response.headers_mut().append(SET_COOKIE, v);
    }
    Ok(response)
}
