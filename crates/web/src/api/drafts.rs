//! `PUT /api/v1/items/{code}/draft`, `POST /api/v1/items/{code}/versions/{version}/publish`
//! and `POST /api/v1/items/{code}/retire` — editing the catalogue.
//!
//! Rules (decided by the application layer): saving a draft needs
//! `catalogue.edit` for the item; publishing and retiring need
//! `catalogue.publish`, a core permission contractor staff never hold.
//! The path's code must equal `body.code` (else 422). The body is validated
//! as a whole and every bad field is listed (422). Publishing a version
//! that is no longer a draft — including the loser of two concurrent
//! publishes — is a 409; publishing retires the previously published version.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_domain::FieldError;
use onetrip_domain::catalogue::ServiceItemBody;
use serde::Deserialize;
use time::Date;
use utoipa::ToSchema;

use crate::api::auth::Writer;
use crate::api::invalid_body;
use crate::api::items::ItemVersionView;
use crate::problem::{ApiError, ApiJson, ApiPath, Problem};
use crate::state::AppState;

/// A draft to save.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    /// Date from which the version will apply.
    #[schema(value_type = String, format = Date, example = "2026-03-01")]
    pub effective_from: Date,
    /// The statutory elements (`ServiceItemBody`); `body.code` must equal the path's code.
    #[schema(value_type = Object)]
    pub body: ServiceItemBody,
}

/// Creates the item's draft, or replaces the open draft's content.
#[utoipa::path(
    put,
    path = "/api/v1/items/{code}/draft",
    tag = "catalogue",
    params(("code" = String, Path, description = "Item code; must equal `body.code`")),
    request_body = DraftRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The draft version", body = ItemVersionView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `catalogue.edit` for the item, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, each listed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<DraftRequest>,
) -> Result<Json<ItemVersionView>, ApiError> {
    if req.body.code != code {
        return Err(invalid_body(vec![FieldError::new(
            "body.code",
            "code_mismatch",
            format!(
                "事项编码与路径不一致（{code}） / body.code must equal the code in the path ({code})"
            ),
        )]));
    }
    let saved = state
        .app
        .save_item_draft(writer.principal(), &req.body, req.effective_from)
        .await
        .map_err(|e| prefix_fields(e.into(), "body"))?;
    Ok(Json(saved.into()))
}

/// Prefixes the field paths of a 422 with `prefix.`, so that they address the request body.
fn prefix_fields(mut err: ApiError, prefix: &str) -> ApiError {
    if err.status == StatusCode::UNPROCESSABLE_ENTITY {
        for f in &mut err.errors {
            f.field = if f.field.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix}.{}", f.field)
            };
        }
    }
    err
}

/// Publishes a draft version.
#[utoipa::path(
    post,
    path = "/api/v1/items/{code}/versions/{version}/publish",
    tag = "catalogue",
    params(
        ("code" = String, Path, description = "Item code"),
        ("version" = i64, Path, description = "The draft's version number"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The published version", body = ItemVersionView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `catalogue.publish` (never held by contractor staff), or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The version is not a draft (already published)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath((code, version)): ApiPath<(String, i64)>,
) -> Result<Json<ItemVersionView>, ApiError> {
    let published = state
        .app
        .publish_item(writer.principal(), &code, version)
        .await?;
    Ok(Json(published.into()))
}

/// Retires the published version of an item.
#[utoipa::path(
    post,
    path = "/api/v1/items/{code}/retire",
    tag = "catalogue",
    params(("code" = String, Path, description = "Item code")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Retired"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `catalogue.publish`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No published version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn retire(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(code): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    state.app.retire_item(writer.principal(), &code).await?;
    Ok(StatusCode::NO_CONTENT)
}
