//! `PUT /api/v1/cases/{id}/materials/{key}` (upload), `POST
//! /api/v1/cases/{id}/materials/{key}/text` (fill in a form) and `GET
//! /api/v1/cases/{id}/materials/{key}/{revision}` (download).
//!
//! Rules: an upload is the raw request body, at most 10 MB — the limit is
//! enforced while the body is read, so a larger body is refused (413)
//! without being buffered; the original name travels percent-encoded in
//! `X-File-Name`. The type is decided by the file's magic bytes (PDF, OFD,
//! PNG, JPEG), never by the name or `Content-Type` (422 naming `file`).
//! Files are stored by SHA-256 and always served as attachments with
//! `nosniff`, never inline. Who may add a material and when is decided by
//! the application layer (the applicant on a draft or for flagged items of
//! a correction notice; window staff on the applicant's behalf).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use onetrip_store::MaterialRecord;
use percent_encoding::percent_decode_str;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::{Caller, Writer};
use crate::problem::{ApiError, ApiJson, ApiPath, Problem};
use crate::state::AppState;

/// The name header of an upload.
pub const FILE_NAME_HEADER: &str = "x-file-name";

/// A provided material version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MaterialView {
    /// Checklist key.
    pub key: String,
    /// Revision.
    pub revision: i64,
    /// `upload`, `filled` or `paper`.
    pub kind: String,
    /// SHA-256 of the stored file.
    pub sha256: Option<String>,
    /// Cleaned file name.
    pub file_name: Option<String>,
    /// Sniffed content type.
    pub content_type: Option<String>,
    /// Size in bytes.
    pub size_bytes: Option<i64>,
}

impl From<MaterialRecord> for MaterialView {
    fn from(m: MaterialRecord) -> Self {
        Self {
            key: m.material_key,
            revision: m.revision,
            kind: m.kind.as_str().to_owned(),
            sha256: m.file_sha256,
            file_name: m.file_name,
            content_type: m.content_type,
            size_bytes: m.size_bytes,
        }
    }
}

/// Uploads a file for one material.
#[utoipa::path(
    put,
    path = "/api/v1/cases/{id}/materials/{key}",
    tag = "cases",
    params(
        ("id" = i64, Path, description = "Case id"),
        ("key" = String, Path, description = "Checklist key, e.g. m01"),
        ("X-File-Name" = String, Header, description = "Original file name, percent-encoded"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Stored", body = MaterialView),
        (status = 403, description = "Not allowed, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case does not take this material now", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 10 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a PDF, OFD, PNG or JPEG, or a bad name", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath((id, key)): ApiPath<(i64, String)>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<MaterialView>), ApiError> {
    let body = body.map_err(|e| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("文件不能超过10MB / files are at most 10 MB ({e})"),
        )
    })?;
    let name = headers
        .get(FILE_NAME_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| percent_decode_str(v).decode_utf8_lossy().into_owned())
        .unwrap_or_default();
    let m = state
        .app
        .upload_material(writer.principal(), id, &key, &name, body.to_vec())
        .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// Text of a form filled on the page.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FillBody {
    /// The filled-in content.
    pub text: String,
}

/// Provides a material as a form filled online.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/materials/{key}/text",
    tag = "cases",
    params(("id" = i64, Path, description = "Case id"), ("key" = String, Path, description = "Checklist key")),
    request_body = FillBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Stored", body = MaterialView),
        (status = 409, description = "The case does not take this material now", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn fill(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath((id, key)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<FillBody>,
) -> Result<(StatusCode, Json<MaterialView>), ApiError> {
    let m = state
        .app
        .fill_material(writer.principal(), id, &key, &body.text)
        .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// Downloads one uploaded version of a material.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/materials/{key}/{revision}",
    tag = "cases",
    params(
        ("id" = i64, Path, description = "Case id"),
        ("key" = String, Path, description = "Checklist key"),
        ("revision" = i64, Path, description = "Revision"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 404, description = "No such file visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, key, revision)): ApiPath<(i64, String, i64)>,
) -> Result<Response, ApiError> {
    let (m, bytes) = state
        .app
        .material_file(caller.principal(), id, &key, revision)
        .await?;
    Ok(attachment(&m, bytes))
}

/// A stored file as a download that browsers never render inline.
pub fn attachment(m: &MaterialRecord, bytes: Vec<u8>) -> Response {
    let name = m
        .file_name
        .clone()
        .unwrap_or_else(|| format!("{}.bin", m.material_key));
    let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}.{}\"; filename*=UTF-8''{encoded}",
        m.material_key,
        m.content_type
            .as_deref()
            .and_then(|t| onetrip_domain::upload::FileKind::ALL
                .iter()
                .find(|k| k.mime() == t))
            .map_or("bin", |k| k.extension())
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}
