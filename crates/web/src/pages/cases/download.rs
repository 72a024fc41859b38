//! `GET /cases/{id}/materials/{key}/{revision}` — download one version of
//! an uploaded material.
//!
//! Rules: whoever may see the case (its applicant, staff in scope) may
//! download its materials; anyone else gets 404. A file is only ever served
//! as an attachment, with the content type sniffed at upload (never the
//! client's claim) and `X-Content-Type-Options: nosniff`, so an uploaded
//! file can never run as a page of this site.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use onetrip_domain::upload::FileKind;

use crate::page::{PageCtx, PageError, PageResult};
use crate::state::AppState;

/// The download name: an ASCII fallback and the cleaned original name.
fn disposition(key: &str, revision: i64, original: &str, mime: &str) -> String {
    let ext = FileKind::ALL
        .iter()
        .find(|k| k.mime() == mime)
        .map_or("bin", |k| k.extension());
    let encoded =
        percent_encoding::utf8_percent_encode(original, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{key}-{revision}.{ext}\"; filename*=UTF-8''{encoded}")
}

/// Serves one material version as a download.
pub async fn download(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, key, revision)): Path<(i64, String, i64)>,
) -> PageResult {
    let who = page.require_principal()?.clone();
    let (m, bytes) = state
        .app
        .material_file(&who, id, &key, revision)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let mime = m
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let name = m.file_name.clone().unwrap_or_else(|| key.clone());
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let ct = HeaderValue::from_str(&mime)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, ct);
    if let Ok(v) = HeaderValue::from_str(&disposition(&key, revision, &name, &mime)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    } else {
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
