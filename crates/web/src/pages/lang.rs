//! `GET /lang/{code}?next=…` — switches the interface language and goes back.

use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::i18n::Lang;
use crate::page::safe_next;
use crate::session::{LANG_COOKIE, set_cookie};
use crate::state::AppState;

/// Query.
#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    /// Local path to return to.
    pub next: Option<String>,
}

/// Sets the language cookie (one year) and redirects to a local path only.
pub async fn switch(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return (StatusCode::BAD_REQUEST, "unknown language / 未知语言").into_response();
    };
    let mut response = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    let cookie = set_cookie(
        LANG_COOKIE,
        lang.code(),
        Some(365 * 24 * 3600),
        false,
        state.app.config.security.cookie_secure,
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}
