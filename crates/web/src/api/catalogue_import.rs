//! `POST /api/v1/catalogue/import` — imports an `onetrip-catalogue/1` document.
//!
//! Rules (decided by the application layer): the caller needs
//! `catalogue.edit` for every item's region and implementing body, and
//! `catalogue.publish` — a core permission contractor staff never hold —
//! when the document publishes items. The whole document is validated
//! first; a document with errors is answered 422 listing every bad field
//! (for example `items[3].materials[1].source`) and nothing is imported.
//! The body may be up to 16 MiB (the route's own limit); larger is 413.

use axum::Json;
use axum::extract::State;
use onetrip_domain::catalogue::CatalogueDocument;
use onetrip_store::ImportSummary;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::auth::Writer;
use crate::problem::{ApiError, ApiJson, Problem};
use crate::state::AppState;

/// The `onetrip-catalogue/1` exchange document (as exported by
/// `GET /api/v1/catalogue/export`); every list is optional except `format`.
#[derive(Debug, ToSchema)]
pub struct CatalogueDocumentSchema {
    /// Must be `onetrip-catalogue/1`.
    #[schema(example = "onetrip-catalogue/1")]
    pub format: String,
    /// Regions: `{code, name: {zh, en}, parent}`.
    #[schema(value_type = Vec<Object>)]
    pub regions: Vec<()>,
    /// Departments: `{code, name, region}`.
    #[schema(value_type = Vec<Object>)]
    pub departments: Vec<()>,
    /// Service centres with halls.
    #[schema(value_type = Vec<Object>)]
    pub service_centres: Vec<()>,
    /// Life events: `{code, name, audience}`.
    #[schema(value_type = Vec<Object>)]
    pub life_events: Vec<()>,
    /// Synonym groups: `{terms: [..]}`.
    #[schema(value_type = Vec<Object>)]
    pub synonyms: Vec<()>,
    /// Item versions: the item body's fields plus `status` and `effective_from`.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<()>,
}

/// What an import wrote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportSummaryView {
    /// Regions inserted or updated.
    pub regions: usize,
    /// Departments inserted or updated.
    pub departments: usize,
    /// Service centres inserted or updated.
    pub service_centres: usize,
    /// Life events inserted or updated.
    pub life_events: usize,
    /// Synonym groups (replacing the previous set when the document has any).
    pub synonym_groups: usize,
    /// Item versions written.
    pub items: usize,
}

impl From<ImportSummary> for ImportSummaryView {
    fn from(s: ImportSummary) -> Self {
        Self {
            regions: s.regions,
            departments: s.departments,
            service_centres: s.service_centres,
            life_events: s.life_events,
            synonym_groups: s.synonym_groups,
            items: s.items,
        }
    }
}

/// Imports a catalogue document in one transaction.
#[utoipa::path(
    post,
    path = "/api/v1/catalogue/import",
    tag = "catalogue",
    request_body(content = CatalogueDocumentSchema, description = "An `onetrip-catalogue/1` document, at most 16 MiB"),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Imported", body = ImportSummaryView),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed (for example contractor staff publishing), or a cookie session without `X-CSRF-Token`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 16 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The document has errors; every bad field is listed and nothing was imported", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn import(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(doc): ApiJson<CatalogueDocument>,
) -> Result<Json<ImportSummaryView>, ApiError> {
    let summary = state.app.import_catalogue(writer.principal(), &doc).await?;
    Ok(Json(summary.into()))
}
