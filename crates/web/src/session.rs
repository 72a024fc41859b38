//! Cookies, sessions, CSRF and client details.
//!
//! Rules: the session cookie holds a random token whose SHA-256 the server
//! stores; it is `HttpOnly`, `SameSite=Lax` and `Secure` when configured.
//! API clients may send the same token as `Authorization: Bearer`. Every
//! state-changing form carries a CSRF token: the session's own token once
//! signed in, or, before sign-in, a random token that must match the
//! `onetrip_csrf` cookie (double submit). Cookie-authenticated API writes
//! send the session's token in `X-CSRF-Token`; bearer requests need none.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use onetrip_app::auth::{ClientInfo, Session};

use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "onetrip_session";
/// Name of the pre-session CSRF cookie.
pub const CSRF_COOKIE: &str = "onetrip_csrf";
/// Name of the language cookie.
pub const LANG_COOKIE: &str = "onetrip_lang";

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: Option<i64>,
    http_only: bool,
    secure: bool,
) -> String {
    let mut s = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(age) = max_age_secs {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if http_only {
        s.push_str("; HttpOnly");
    }
    if secure {
        s.push_str("; Secure");
    }
    s
}

/// The pre-session CSRF token of this request (set by [`ensure_csrf_cookie`]).
#[derive(Debug, Clone)]
pub struct PreSessionCsrf(pub String);

/// Middleware: gives every visitor a pre-session CSRF cookie.
pub async fn ensure_csrf_cookie(
    state: axum::extract::State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let existing = cookie(request.headers(), CSRF_COOKIE).filter(|t| t.len() >= 32);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (onetrip_app::auth::random_token().unwrap_or_default(), true),
    };
    request
        .extensions_mut()
        .insert(PreSessionCsrf(token.clone()));
    let mut response = next.run(request).await;
    if fresh
        && !token.is_empty()
        && let Ok(v) = HeaderValue::from_str(&set_cookie(
            CSRF_COOKIE,
            &token,
            None,
            true,
            state.app.config.security.cookie_secure,
        ))
    {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

/// Constant-time comparison of two tokens.
pub fn tokens_match(a: &str, b: &str) -> bool {
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.bytes()
        .zip(b.bytes())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// How the request authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Session cookie (CSRF applies).
    Cookie,
    /// Bearer token (no CSRF).
    Bearer,
}

/// The live session of the request, if any.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    /// The session.
    pub session: Option<Session>,
    /// How it was presented.
    pub via: Via,
    /// Client address and software.
    pub client: ClientInfo,
    /// The pre-session CSRF token.
    pub pre_csrf: String,
}

impl CurrentSession {
    /// The CSRF token forms on this page must carry.
    pub fn csrf_token(&self) -> String {
        match &self.session {
            Some(s) => s.record.csrf_token.clone(),
            None => self.pre_csrf.clone(),
        }
    }

    /// Checks a submitted CSRF token against the expected one.
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        tokens_match(submitted, &self.csrf_token())
    }
}

fn client_info(parts: &Parts) -> ClientInfo {
    ClientInfo {
        ip: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string()),
        user_agent: parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(cached) = parts.extensions.get::<CurrentSession>() {
            return Ok(cached.clone());
        }
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let (token, via) = match bearer {
            Some(t) => (Some(t), Via::Bearer),
            None => (cookie(&parts.headers, SESSION_COOKIE), Via::Cookie),
        };
        let session = match token {
            // Department systems present API tokens instead of sessions.
            Some(t) if via == Via::Bearer && t.starts_with("otk_") => {
                state.app.api_token_session(&t).await.ok().flatten()
            }
            Some(t) if !t.is_empty() => state.app.session(&t).await.ok().flatten(),
            _ => None,
        };
        let pre_csrf = parts
            .extensions
            .get::<PreSessionCsrf>()
            .map(|p| p.0.clone())
            .unwrap_or_default();
        let current = CurrentSession {
            session,
            via,
            client: client_info(parts),
            pre_csrf,
        };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}
