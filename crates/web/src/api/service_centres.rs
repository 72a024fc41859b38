//! `GET /api/v1/service-centres` — government service centres with their halls.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{TextView, app_err};
use crate::problem::ApiError;
use crate::state::AppState;

/// A hall inside a centre.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HallView {
    /// Code unique within the centre.
    pub code: String,
    /// Name.
    pub name: TextView,
}

/// A service centre.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceCentreView {
    /// Stable code.
    #[schema(example = "420100-SMZJ")]
    pub code: String,
    /// Name.
    pub name: TextView,
    /// Region served.
    pub region: String,
    /// Street address.
    pub address: String,
    /// Opening hours as published.
    pub hours: String,
    /// Halls.
    pub halls: Vec<HallView>,
}

/// Every centre.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceCentreList {
    /// Centres ordered by code.
    pub items: Vec<ServiceCentreView>,
}

/// Lists the service centres.
#[utoipa::path(
    get,
    path = "/api/v1/service-centres",
    tag = "reference",
    responses((status = 200, description = "Every service centre", body = ServiceCentreList))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<ServiceCentreList>, ApiError> {
    let items = state
        .app
        .store
        .list_service_centres()
        .await
        .map_err(app_err)?
        .iter()
        .map(|c| ServiceCentreView {
            code: c.code.clone(),
            name: TextView::from(&c.name),
            region: c.region.as_str().to_owned(),
            address: c.address.clone(),
            hours: c.hours.clone(),
            halls: c
                .halls
                .iter()
                .map(|h| HallView {
                    code: h.code.clone(),
                    name: TextView::from(&h.name),
                })
                .collect(),
        })
        .collect();
    Ok(Json(ServiceCentreList { items }))
}
