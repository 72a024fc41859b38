//! Security headers on every response, and readable bodies for bare errors
//! produced below the handlers (an oversized body, an unknown route).

use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::problem::ApiError;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// Adds the security headers to a response unless a handler set its own.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    set(h, header::CACHE_CONTROL, "no-store");
    response
}

/// Turns bodiless framework errors (413 from the body limit, 405, 404 of
/// the router) into a problem body for `/api` and an HTML page elsewhere.
pub async fn readable_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let has_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/problem+json") || t.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || has_type {
        return response;
    }
    let (code, zh, en) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "请求体过大",
            "the request body is too large",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "不支持该请求方法",
            "method not allowed",
        ),
        StatusCode::NOT_FOUND => ("not_found", "页面不存在", "not found"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "不支持的内容类型",
            "unsupported content type",
        ),
        _ => ("request_failed", "请求失败", "the request failed"),
    };
    if is_api {
        ApiError::new(status, code, format!("{zh} / {en}")).into_response()
    } else {
        let body = format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{zh}</title>\
             <link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main class=\"container\">\
             <h1>{zh}（{}）</h1><p lang=\"en\">{en}</p><p><a href=\"/\">返回首页 / Home</a></p></main></body></html>",
            status.as_u16()
        );
        (status, Html(body)).into_response()
    }
}
