//! `GET /api/v1/departments?region=` — departments (implementing bodies).
//!
//! Rules: without `region`, every department; with it, the departments of
//! that region's government and of every region inside it. An invalid or
//! unknown region code is a 400 naming `region`.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{TextView, app_err, known_region, non_blank};
use crate::problem::{ApiError, ApiQuery, Problem};
use crate::state::AppState;

/// Filter.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DepartmentsQuery {
    /// Region code; departments in this region or inside it.
    pub region: Option<String>,
}

/// One department.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentView {
    /// Stable code.
    #[schema(example = "420100-SCJGJ")]
    pub code: String,
    /// Name.
    pub name: TextView,
    /// Region whose government the department belongs to.
    pub region: String,
}

/// Departments.
#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentList {
    /// Departments ordered by code.
    pub items: Vec<DepartmentView>,
}

/// Lists departments.
#[utoipa::path(
    get,
    path = "/api/v1/departments",
    tag = "reference",
    params(DepartmentsQuery),
    responses(
        (status = 200, description = "Departments", body = DepartmentList),
        (status = 400, description = "Invalid or unknown region", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<DepartmentsQuery>,
) -> Result<Json<DepartmentList>, ApiError> {
    let region = match non_blank(q.region.as_deref()) {
        Some(r) => Some(known_region(&state, r).await?),
        None => None,
    };
    let items = state
        .app
        .store
        .list_departments()
        .await
        .map_err(app_err)?
        .iter()
        .filter(|d| region.as_ref().is_none_or(|r| d.region.is_within(r)))
        .map(|d| DepartmentView {
            code: d.code.clone(),
            name: TextView::from(&d.name),
            region: d.region.as_str().to_owned(),
        })
        .collect();
    Ok(Json(DepartmentList { items }))
}
