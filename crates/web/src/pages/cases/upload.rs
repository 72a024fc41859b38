//! `POST /cases/{id}/materials/{key}` (the applicant) and
//! `POST /workbench/cases/{id}/materials/{key}` (window staff on the
//! applicant's behalf) — upload one material as a multipart form.
//!
//! Rules: the file is read chunk by chunk and counted while it streams; as
//! soon as more than [`MAX_UPLOAD_BYTES`] arrive the request is answered
//! 413 naming the file field, without reading the rest (the route's body
//! limit stops anything much larger before that). The type is decided by
//! the file's magic bytes in the app, never by its name or claimed type: a
//! text file named `x.pdf` is refused (422, naming the file field). The form
//! carries the CSRF token; who may add which material is the app's decision
//! (drafts; flagged materials during a correction; window staff while the
//! case awaits pre-review).

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_domain::upload::MAX_UPLOAD_BYTES;
use onetrip_domain::{FieldError, ValidationErrors};

use super::detail::prefix_errors;
use crate::page::{PageCtx, PageError, PageResult};
use crate::pages::admin::see_other;
use crate::state::AppState;

/// Extra bytes the route's body limit allows beyond one file: the other
/// fields and the multipart framing.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The body limit of upload routes.
pub const UPLOAD_BODY_LIMIT: usize = MAX_UPLOAD_BYTES as usize + MULTIPART_OVERHEAD;

/// What the form sent.
struct Upload {
    csrf: String,
    file_name: String,
    bytes: Option<Vec<u8>>,
}

fn too_large(page: &PageCtx, key: &str) -> PageError {
    let message = page.t("case.upload.too_large");
    PageError::with_errors(
        page,
        StatusCode::PAYLOAD_TOO_LARGE,
        message,
        vec![FieldError::new(
            format!("materials.{key}.file"),
            "too_large",
            message,
        )],
    )
}

/// Reads the multipart form, counting the file's bytes as they arrive.
async fn read(page: &PageCtx, key: &str, mut multipart: Multipart) -> Result<Upload, PageError> {
    let mut out = Upload {
        csrf: String::new(),
        file_name: String::new(),
        bytes: None,
    };
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(page, key)
        } else {
            PageError::new(page, StatusCode::BAD_REQUEST, e.body_text())
        }
    };
    while let Some(mut f) = multipart.next_field().await.map_err(bad)? {
        match f.name() {
            Some("csrf_token") => out.csrf = f.text().await.map_err(bad)?,
            Some("file") => {
                out.file_name = f.file_name().unwrap_or_default().to_owned();
                let mut buf: Vec<u8> = Vec::new();
                while let Some(chunk) = f.chunk().await.map_err(bad)? {
                    if (buf.len() + chunk.len()) as u64 > MAX_UPLOAD_BYTES {
                        return Err(too_large(page, key));
                    }
                    buf.extend_from_slice(&chunk);
                }
                out.bytes = Some(buf);
            }
            _ => {}
        }
    }
    Ok(out)
}

async fn handle(
    state: &AppState,
    page: PageCtx,
    id: i64,
    key: String,
    multipart: Multipart,
    staff: bool,
) -> PageResult {
    let upload = read(&page, &key, multipart).await?;
    if !page.current.csrf_ok(&upload.csrf) {
        return Err(PageError::csrf(&page));
    }
    let who = if staff {
        let who = page.require_principal()?.clone();
        who.staff().map_err(|e| PageError::from_app(&page, e))?;
        who
    } else {
        super::require_applicant(&page)?
    };
    let result = match upload.bytes {
        Some(bytes) if !upload.file_name.is_empty() => state
            .app
            .upload_material(&who, id, &key, &upload.file_name, bytes)
            .await
            .map(|_| ()),
        _ => Err(AppError::Invalid(ValidationErrors::single(
            "file",
            "required",
            page.t("case.upload.choose_file"),
        ))),
    }
    .map_err(|e| prefix_errors(e, &format!("materials.{key}")));
    if staff {
        match result {
            Ok(()) => Ok(see_other(&format!("/workbench/cases/{id}?done=uploaded"))),
            Err(AppError::Invalid(v)) => {
                crate::pages::workbench::case::render_case(
                    state,
                    page,
                    &who,
                    id,
                    v.errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                )
                .await
            }
            Err(e) => Err(PageError::from_app(&page, e)),
        }
    } else {
        super::detail::answer(state, page, &who, id, result, "uploaded").await
    }
}

/// The applicant uploads a material.
pub async fn applicant(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, key)): Path<(i64, String)>,
    multipart: Multipart,
) -> PageResult {
    handle(&state, page, id, key, multipart, false).await
}

/// Window staff upload a material on the applicant's behalf.
pub async fn staff(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, key)): Path<(i64, String)>,
    multipart: Multipart,
) -> PageResult {
    handle(&state, page, id, key, multipart, true).await
}
