//! Staff administration: `GET/POST /api/v1/staff`, `GET /api/v1/staff/{id}`,
//! `POST /api/v1/staff/{id}/grants`, `DELETE /api/v1/staff/{id}/grants/{grant_id}`,
//! `POST /api/v1/staff/{id}/disable`, `POST /api/v1/staff/{id}/enable` and
//! `DELETE /api/v1/staff/{id}/sessions`.
//!
//! Rules (decided by the application layer): `staff.manage` lists, creates,
//! disables and enables accounts; `role.manage` grants and revokes roles. A
//! role with a core permission (accepting, approving, deciding, signing,
//! certifying, penalising, inspecting, enforcing, publishing the catalogue)
//! can never be granted to contractor staff: 403 naming the permission,
//! and nothing is stored. Disabling an account ends its sessions at once;
//! nobody can disable their own account (409). Anyone may end their own
//! sessions; ending someone else's needs `staff.manage`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_app::admin::StaffForm;
use onetrip_domain::FieldError;
use onetrip_domain::access::{Permission, Scope};
use onetrip_domain::region::RegionCode;
use onetrip_store::{GrantRecord, StaffRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::{Caller, Writer, authorize_read};
use crate::api::{app_err, invalid_body, non_blank};
use crate::problem::{ApiError, ApiJson, ApiPath, Problem};
use crate::state::AppState;

/// A staff account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffView {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// `civil_servant`, `public_institution` or `contractor`.
    pub employment_type: String,
    /// A disabled account cannot sign in and has no sessions.
    pub disabled: bool,
    /// Creation time (microseconds since the Unix epoch).
    pub created_at: i64,
}

impl From<&StaffRecord> for StaffView {
    fn from(s: &StaffRecord) -> Self {
        Self {
            id: s.id,
            username: s.username.clone(),
            display_name: s.display_name.clone(),
            employment_type: s.employment.as_str().to_owned(),
            disabled: s.disabled,
            created_at: s.created_at_micros,
        }
    }
}

/// Every staff account.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    /// Accounts ordered by login name.
    pub items: Vec<StaffView>,
}

/// A role granted to a staff member.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantView {
    /// Grant id.
    pub id: i64,
    /// Role code.
    pub role: String,
    /// Region covered (and everything inside it).
    pub region: String,
    /// Limited to this department, if set.
    pub department: Option<String>,
    /// Limited to this service centre, if set.
    pub centre: Option<String>,
    /// When it was granted (microseconds since the Unix epoch).
    pub granted_at: i64,
}

impl From<&GrantRecord> for GrantView {
    fn from(g: &GrantRecord) -> Self {
        Self {
            id: g.id,
            role: g.role.clone(),
            region: g.scope.region.as_str().to_owned(),
            department: g.scope.department.clone(),
            centre: g.scope.centre.clone(),
            granted_at: g.granted_at_micros,
        }
    }
}

/// A staff account with its grants.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffDetail {
    /// The account.
    pub staff: StaffView,
    /// Its grants, oldest first.
    pub grants: Vec<GrantView>,
}

/// A new staff account.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewStaffRequest {
    /// Login name: 3–32 characters `a-z 0-9 . _ -`, starting with a letter.
    #[schema(example = "zhangsan")]
    pub username: String,
    /// Display name, at most 40 characters.
    pub display_name: String,
    /// `civil_servant`, `public_institution` or `contractor`.
    #[schema(example = "civil_servant")]
    pub employment_type: String,
    /// Initial password: at least 10 characters with letters and digits.
    pub password: String,
}

/// A grant to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct GrantRequest {
    /// Role code, for example `approval_officer`.
    pub role: String,
    /// Region code the grant covers.
    #[schema(example = "420100")]
    pub region: String,
    /// Limit to one department (optional).
    pub department: Option<String>,
    /// Limit to one service centre (optional).
    pub centre: Option<String>,
}

/// The id of something created.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Created {
    /// Id.
    pub id: i64,
}

/// How many sessions were ended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionsEnded {
    /// Sessions ended.
    pub revoked: u64,
}

async fn staff_or_404(state: &AppState, id: i64) -> Result<StaffRecord, ApiError> {
    state
        .app
        .store
        .staff_by_id(id)
        .await
        .map_err(app_err)?
        .ok_or_else(|| ApiError::not_found(&format!("staff {id}")))
}

/// Lists staff accounts (`staff.manage`).
#[utoipa::path(
    get,
    path = "/api/v1/staff",
    tag = "administration",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Every account", body = StaffList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `staff.manage`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<StaffList>, ApiError> {
    authorize_read(caller.principal(), Permission::StaffManage)?;
    let items = state
        .app
        .store
        .list_staff()
        .await
        .map_err(app_err)?
        .iter()
        .map(StaffView::from)
        .collect();
    Ok(Json(StaffList { items }))
}

/// Creates a staff account (`staff.manage`).
#[utoipa::path(
    post,
    path = "/api/v1/staff",
    tag = "administration",
    request_body = NewStaffRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Created", body = StaffView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `staff.manage`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The login name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, each listed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(req): ApiJson<NewStaffRequest>,
) -> Result<(StatusCode, Json<StaffView>), ApiError> {
    let form = StaffForm {
        username: req.username,
        display_name: req.display_name,
        employment_type: req.employment_type,
        password: req.password,
    };
    let staff = state.app.create_staff(writer.principal(), &form).await?;
    Ok((StatusCode::CREATED, Json(StaffView::from(&staff))))
}

/// One staff account with its grants (`staff.manage`).
#[utoipa::path(
    get,
    path = "/api/v1/staff/{id}",
    tag = "administration",
    params(("id" = i64, Path, description = "Staff id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The account", body = StaffDetail),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `staff.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StaffDetail>, ApiError> {
    authorize_read(caller.principal(), Permission::StaffManage)?;
    let staff = staff_or_404(&state, id).await?;
    let grants = state
        .app
        .store
        .list_grants(id)
        .await
        .map_err(app_err)?
        .iter()
        .map(GrantView::from)
        .collect();
    Ok(Json(StaffDetail {
        staff: StaffView::from(&staff),
        grants,
    }))
}

/// Turns the store's answers about the grant's references into field errors.
fn grant_error(err: AppError) -> ApiError {
    match err {
        AppError::NotFound(what) if what.starts_with("role ") => {
            invalid_body(vec![FieldError::new(
                "role",
                "unknown_role",
                format!("未知角色 / unknown {what}"),
            )])
        }
        AppError::NotFound(what) if what.starts_with("department ") => {
            invalid_body(vec![FieldError::new(
                "department",
                "unknown_department",
                format!("未知部门 / unknown {what}"),
            )])
        }
        AppError::Invalid(mut v) => {
            for e in &mut v.errors {
                if let Some(rest) = e.field.strip_prefix("scope.") {
                    e.field = rest.to_owned();
                }
            }
            AppError::Invalid(v).into()
        }
        other => other.into(),
    }
}

/// Grants a role in a scope (`role.manage`); core roles never reach contractor staff.
#[utoipa::path(
    post,
    path = "/api/v1/staff/{id}/grants",
    tag = "administration",
    params(("id" = i64, Path, description = "Staff id")),
    request_body = GrantRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Granted", body = Created),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `role.manage`; or the role has a core permission and the staff member is a contractor; or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The same grant exists already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad region, unknown role or department, or a department outside the region", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn grant(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<GrantRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let mut errors = Vec::new();
    let region = match RegionCode::parse(&req.region) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.extend(e.errors.into_iter().map(|f| FieldError {
                field: "region".to_owned(),
                ..f
            }));
            None
        }
    };
    if req.role.trim().is_empty() {
        errors.push(FieldError::new(
            "role",
            "required",
            "角色必填 / the role is required",
        ));
    }
    let Some(region) = region.filter(|_| errors.is_empty()) else {
        return Err(invalid_body(errors));
    };
    let scope = Scope {
        region,
        department: non_blank(req.department.as_deref()).map(str::to_owned),
        centre: non_blank(req.centre.as_deref()).map(str::to_owned),
    };
    let grant_id = state
        .app
        .grant_role(writer.principal(), id, req.role.trim(), &scope)
        .await
        .map_err(grant_error)?;
    Ok((StatusCode::CREATED, Json(Created { id: grant_id })))
}

/// Removes a grant (`role.manage`).
#[utoipa::path(
    delete,
    path = "/api/v1/staff/{id}/grants/{grant_id}",
    tag = "administration",
    params(
        ("id" = i64, Path, description = "Staff id"),
        ("grant_id" = i64, Path, description = "Grant id"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `role.manage`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such grant on this account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn revoke_grant(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath((id, grant_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    // The application's use case takes the grant id alone; make sure the
    // grant is this account's, so that the URL cannot name the wrong person.
    // Authorise first so that the check tells nothing to others (the
    // application layer checks again).
    authorize_read(writer.principal(), Permission::RoleManage)?;
    let grants = state.app.store.list_grants(id).await.map_err(app_err)?;
    if !grants.iter().any(|g| g.id == grant_id) {
        return Err(ApiError::not_found(&format!(
            "grant {grant_id} of staff {id}"
        )));
    }
    state.app.revoke_grant(writer.principal(), grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_disabled(
    state: &AppState,
    writer: &Writer,
    id: i64,
    disabled: bool,
) -> Result<Json<StaffView>, ApiError> {
    state
        .app
        .set_staff_disabled(writer.principal(), id, disabled)
        .await?;
    Ok(Json(StaffView::from(&staff_or_404(state, id).await?)))
}

/// Disables an account and ends its sessions (`staff.manage`).
#[utoipa::path(
    post,
    path = "/api/v1/staff/{id}/disable",
    tag = "administration",
    params(("id" = i64, Path, description = "Staff id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Disabled", body = StaffView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `staff.manage`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Your own account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn disable(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StaffView>, ApiError> {
    set_disabled(&state, &writer, id, true).await
}

/// Re-enables an account (`staff.manage`).
#[utoipa::path(
    post,
    path = "/api/v1/staff/{id}/enable",
    tag = "administration",
    params(("id" = i64, Path, description = "Staff id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Enabled", body = StaffView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `staff.manage`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn enable(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StaffView>, ApiError> {
    set_disabled(&state, &writer, id, false).await
}

/// Ends every session of a staff member (their own, or anyone's with `staff.manage`).
#[utoipa::path(
    delete,
    path = "/api/v1/staff/{id}/sessions",
    tag = "administration",
    params(("id" = i64, Path, description = "Staff id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Sessions ended", body = SessionsEnded),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `staff.manage`, or CSRF", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn revoke_sessions(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SessionsEnded>, ApiError> {
    let revoked = state
        .app
        .revoke_staff_sessions(writer.principal(), id)
        .await?;
    if revoked == 0 {
        staff_or_404(&state, id).await?;
    }
    Ok(Json(SessionsEnded { revoked }))
}
