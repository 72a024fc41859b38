//! `GET /api/v1/regions` — every administrative region (GB/T 2260), ordered by code.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{TextView, app_err};
use crate::problem::ApiError;
use crate::state::AppState;

/// One administrative region.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionView {
    /// Six-digit code (nine for a township).
    #[schema(example = "420100")]
    pub code: String,
    /// Name.
    pub name: TextView,
    /// `province`, `city`, `county` or `township`.
    pub level: String,
    /// Enclosing region's code; `null` for a province.
    pub parent: Option<String>,
}

/// Every region.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionList {
    /// Regions ordered by code.
    pub items: Vec<RegionView>,
}

/// Lists the regions.
#[utoipa::path(
    get,
    path = "/api/v1/regions",
    tag = "reference",
    responses((status = 200, description = "Every region", body = RegionList))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<RegionList>, ApiError> {
    let items = state
        .app
        .store
        .list_regions()
        .await
        .map_err(app_err)?
        .iter()
        .map(|r| RegionView {
            code: r.code.as_str().to_owned(),
            name: TextView::from(&r.name),
            level: r.level().as_str().to_owned(),
            parent: r.parent.as_ref().map(|p| p.as_str().to_owned()),
        })
        .collect();
    Ok(Json(RegionList { items }))
}
