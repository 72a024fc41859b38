//! `GET /api/v1/roles` and `PUT /api/v1/roles/{code}` — role definitions.
//!
//! Rules: any signed-in staff member may read the roles. Saving a role
//! needs `role.manage` (decided by the application layer). Every permission
//! code must be known (422 listing each unknown one as `permissions[i]`).
//! Adding a core permission to a role that any contractor holds is refused
//! (403): core permissions never reach contractor staff, not even by
//! editing a role they already have. Whether a permission is core is fixed
//! in code and shown here as `core`.

use axum::Json;
use axum::extract::State;
use onetrip_domain::FieldError;
use onetrip_domain::access::Permission;
use onetrip_store::RoleRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::{Caller, Writer};
use crate::api::{app_err, invalid_body};
use crate::problem::{ApiError, ApiJson, ApiPath, Problem};
use crate::state::AppState;

/// A role.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleView {
    /// Stable code.
    #[schema(example = "approval_officer")]
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Permission codes.
    pub permissions: Vec<String>,
    /// True when the role has a core permission (never grantable to contractor staff).
    pub core: bool,
}

impl From<&RoleRecord> for RoleView {
    fn from(r: &RoleRecord) -> Self {
        Self {
            code: r.code.clone(),
            name_zh: r.name_zh.clone(),
            name_en: r.name_en.clone(),
            permissions: r
                .permissions
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            core: r.is_core(),
        }
    }
}

/// Every role.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    /// Roles ordered by code.
    pub items: Vec<RoleView>,
}

/// A role definition to save.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RoleRequest {
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Permission codes, for example `case.review`.
    pub permissions: Vec<String>,
}

/// Lists the roles.
#[utoipa::path(
    get,
    path = "/api/v1/roles",
    tag = "administration",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Every role", body = RoleList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<RoleList>, ApiError> {
    caller.principal().staff()?;
    let items = state
        .app
        .store
        .list_roles()
        .await
        .map_err(app_err)?
        .iter()
        .map(RoleView::from)
        .collect();
    Ok(Json(RoleList { items }))
}

/// Creates or replaces a role (`role.manage`).
#[utoipa::path(
    put,
    path = "/api/v1/roles/{code}",
    tag = "administration",
    params(("code" = String, Path, description = "Role code")),
    request_body = RoleRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Saved", body = RoleView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `role.manage`; or a contractor holding the role would gain a core permission; or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown permission codes or other bad fields, each listed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<RoleRequest>,
) -> Result<Json<RoleView>, ApiError> {
    let mut errors = Vec::new();
    let mut permissions = Vec::with_capacity(req.permissions.len());
    for (i, p) in req.permissions.iter().enumerate() {
        match Permission::parse(p.trim()) {
            Some(perm) => permissions.push(perm),
            None => errors.push(FieldError::new(
                format!("permissions[{i}]"),
                "unknown_permission",
                format!("未知权限 {p} / unknown permission {p}"),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(invalid_body(errors));
    }
    permissions.sort_unstable();
    permissions.dedup();
    let role = RoleRecord {
        code,
        name_zh: req.name_zh.trim().to_owned(),
        name_en: req.name_en.trim().to_owned(),
        permissions,
    };
    state.app.save_role(writer.principal(), &role).await?;
    Ok(Json(RoleView::from(&role)))
}
