//! `GET /api/v1/catalogue/export` — the whole catalogue (every version) as
//! an `onetrip-catalogue/1` document. Needs `data.export` (decided by the
//! application layer); every export is written to the audit chain.

use axum::Json;
use axum::extract::State;
use onetrip_domain::catalogue::CatalogueDocument;

use crate::api::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// Exports the catalogue.
#[utoipa::path(
    get,
    path = "/api/v1/catalogue/export",
    tag = "catalogue",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The document", body = crate::api::catalogue_import::CatalogueDocumentSchema),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `data.export`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CatalogueDocument>, ApiError> {
    Ok(Json(state.app.export_catalogue(caller.principal()).await?))
}
