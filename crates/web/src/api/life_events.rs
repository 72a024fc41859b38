//! `GET /api/v1/life-events` — the life events (办事主题) used to browse the catalogue.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{TextView, app_err};
use crate::problem::ApiError;
use crate::state::AppState;

/// A life event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LifeEventView {
    /// Stable code.
    #[schema(example = "starting-business")]
    pub code: String,
    /// Name.
    pub name: TextView,
    /// `natural_person`, `legal_entity` or `both`.
    pub audience: String,
}

/// Every life event.
#[derive(Debug, Serialize, ToSchema)]
pub struct LifeEventList {
    /// Life events ordered by code.
    pub items: Vec<LifeEventView>,
}

/// Lists the life events.
#[utoipa::path(
    get,
    path = "/api/v1/life-events",
    tag = "reference",
    responses((status = 200, description = "Every life event", body = LifeEventList))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<LifeEventList>, ApiError> {
    let items = state
        .app
        .store
        .list_life_events()
        .await
        .map_err(app_err)?
        .iter()
        .map(|l| LifeEventView {
            code: l.code.clone(),
            name: TextView::from(&l.name),
            audience: l.audience.as_str().to_owned(),
        })
        .collect();
    Ok(Json(LifeEventList { items }))
}
