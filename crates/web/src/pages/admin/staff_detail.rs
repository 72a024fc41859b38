//! `GET /admin/staff/{id}` — one staff account: details, grants with revoke
//! buttons, a grant form, live sessions with “end all sessions”, and
//! disable/enable. The POSTs (`/grants`, `/grants/{grant}/revoke`,
//! `/sessions/revoke`, `/disable`, `/enable`) go through the app, which
//! authorises them (`role.manage` for grants, `staff.manage` for the rest)
//! and enforces the negative list: a role with a core permission is never
//! granted to contractor staff. That refusal is shown on this page (403,
//! error summary) and is audited by the app. Disabling ends the person's
//! sessions at once.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_domain::FieldError;
use onetrip_domain::access::{EmploymentType, Permission, Scope};
use onetrip_domain::region::RegionCode;
use onetrip_store::{PrincipalKind, StaffRecord};

use super::staff::role_name;
use super::{
    Admin, AdminNav, NoticeQuery, Opt, Section, check_csrf, error_for, field, notice, parse_pairs,
    see_other, store_error,
};
use crate::page::{PageCtx, PageError, PageResult, field_id, render, render_status};
use crate::pages::account::beijing_time;
use crate::state::AppState;

/// One grant as shown.
#[derive(Debug, Clone)]
pub struct GrantRow {
    /// Grant id.
    pub id: i64,
    /// Role name.
    pub role: String,
    /// Role code.
    pub role_code: String,
    /// The role carries a core permission.
    pub core: bool,
    /// Region.
    pub region: String,
    /// Department, if limited.
    pub department: String,
    /// Centre, if limited.
    pub centre: String,
    /// When granted.
    pub granted_at: String,
}

/// One live session.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// Signed in.
    pub created: String,
    /// Expires.
    pub expires: String,
    /// Address.
    pub ip: String,
    /// Browser.
    pub agent: String,
}

/// The grant form as typed.
#[derive(Debug, Clone, Default)]
pub struct GrantForm {
    /// Role code.
    pub role: String,
    /// Region code.
    pub region: String,
    /// Department code or empty.
    pub department: String,
    /// Centre code or empty.
    pub centre: String,
}

#[derive(Template)]
#[template(path = "admin/staff_detail.html")]
struct StaffDetailPage {
    page: PageCtx,
    nav: AdminNav,
    notice: Option<&'static str>,
    staff: StaffRecord,
    employment: &'static str,
    contractor: bool,
    created: String,
    grants: Vec<GrantRow>,
    sessions: Vec<SessionRow>,
    roles: Vec<Opt>,
    regions: Vec<Opt>,
    departments: Vec<Opt>,
    centres: Vec<Opt>,
    errors: Vec<FieldError>,
    can_grant: bool,
    can_manage: bool,
    is_self: bool,
}

impl StaffDetailPage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        field_id(path.as_ref())
    }
}

async fn load_staff(state: &AppState, page: &PageCtx, id: i64) -> Result<StaffRecord, PageError> {
    match state.app.store.staff_by_id(id).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(PageError::not_found(page)),
        Err(e) => Err(store_error(page)(e)),
    }
}

async fn view(
    state: &AppState,
    page: PageCtx,
    admin: &Admin,
    staff: StaffRecord,
    form: GrantForm,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<StaffDetailPage, PageError> {
    let store = state.app.store.as_ref();
    let fail = store_error(&page);
    let lang = page.lang;
    let roles = store.list_roles().await.map_err(&fail)?;
    let regions = store.list_regions().await.map_err(&fail)?;
    let departments = store.list_departments().await.map_err(&fail)?;
    let centres = store.list_service_centres().await.map_err(&fail)?;
    let region_name = |code: &str| {
        regions
            .iter()
            .find(|r| r.code.as_str() == code)
            .map(|r| format!("{}（{code}）", lang.pick(&r.name)))
            .unwrap_or_else(|| code.to_owned())
    };
    let grants = store
        .list_grants(staff.id)
        .await
        .map_err(&fail)?
        .into_iter()
        .map(|g| {
            let (role, core) = role_name(lang, &roles, &g.role);
            GrantRow {
                id: g.id,
                role,
                role_code: g.role.clone(),
                core,
                region: region_name(g.scope.region.as_str()),
                department: g
                    .scope
                    .department
                    .as_deref()
                    .map(|d| {
                        departments
                            .iter()
                            .find(|x| x.code == d)
                            .map(|x| format!("{}（{d}）", lang.pick(&x.name)))
                            .unwrap_or_else(|| d.to_owned())
                    })
                    .unwrap_or_default(),
                centre: g
                    .scope
                    .centre
                    .as_deref()
                    .map(|c| {
                        centres
                            .iter()
                            .find(|x| x.code == c)
                            .map(|x| format!("{}（{c}）", lang.pick(&x.name)))
                            .unwrap_or_else(|| c.to_owned())
                    })
                    .unwrap_or_default(),
                granted_at: beijing_time(g.granted_at_micros),
            }
        })
        .collect();
    let sessions = store
        .sessions_of(PrincipalKind::Staff, staff.id, state.app.now())
        .await
        .map_err(&fail)?
        .into_iter()
        .map(|s| SessionRow {
            created: beijing_time(s.created_at_micros),
            expires: beijing_time(s.expires_at_micros),
            ip: s.ip.unwrap_or_default(),
            agent: s.user_agent.unwrap_or_default(),
        })
        .collect();
    drop(fail);
    let contractor = staff.employment == EmploymentType::Contractor;
    let mut role_opts = vec![Opt::new("", page.t("admin.choose"), form.role.is_empty())];
    role_opts.extend(roles.iter().map(|r| {
        let mut label = format!("{}（{}）", lang.choose(&r.name_zh, &r.name_en), r.code);
        if r.is_core() {
            label.push_str(page.t("admin.core_option"));
        }
        Opt {
            core: r.is_core(),
            ..Opt::new(r.code.clone(), label, r.code == form.role)
        }
    }));
    let mut region_opts = vec![Opt::new("", page.t("admin.choose"), form.region.is_empty())];
    region_opts.extend(regions.iter().map(|r| {
        Opt::new(
            r.code.as_str(),
            format!("{}（{}）", lang.pick(&r.name), r.code),
            r.code.as_str() == form.region,
        )
    }));
    let mut dept_opts = vec![Opt::new(
        "",
        page.t("admin.any_department"),
        form.department.is_empty(),
    )];
    dept_opts.extend(departments.iter().map(|d| {
        Opt::new(
            d.code.clone(),
            format!("{}（{}）", lang.pick(&d.name), d.code),
            d.code == form.department,
        )
    }));
    let mut centre_opts = vec![Opt::new(
        "",
        page.t("admin.any_centre"),
        form.centre.is_empty(),
    )];
    centre_opts.extend(centres.iter().map(|c| {
        Opt::new(
            c.code.clone(),
            format!("{}（{}）", lang.pick(&c.name), c.code),
            c.code == form.centre,
        )
    }));
    Ok(StaffDetailPage {
        nav: admin.nav(&page, Section::Staff),
        notice,
        employment: staff.employment.label(lang.code()),
        contractor,
        created: beijing_time(staff.created_at_micros),
        is_self: staff.id == admin.staff.id,
        staff,
        grants,
        sessions,
        roles: role_opts,
        regions: region_opts,
        departments: dept_opts,
        centres: centre_opts,
        errors,
        can_grant: admin.can(Permission::RoleManage),
        can_manage: admin.can(Permission::StaffManage),
        page,
    })
}

/// Shows one staff account.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Staff)?;
    let staff = load_staff(&state, &page, id).await?;
    let notice = notice(&page, q.notice.as_deref());
    let v = view(
        &state,
        page,
        &admin,
        staff,
        GrantForm::default(),
        Vec::new(),
        notice,
    )
    .await?;
    Ok(render(&v))
}

/// Grants a role in a scope.
pub async fn grant(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Staff)?;
    let staff = load_staff(&state, &page, id).await?;
    let form = GrantForm {
        role: field(&pairs, "role").trim().to_owned(),
        region: field(&pairs, "region").trim().to_owned(),
        department: field(&pairs, "department").trim().to_owned(),
        centre: field(&pairs, "centre").trim().to_owned(),
    };
    let mut errors = Vec::new();
    if form.role.is_empty() {
        errors.push(FieldError::new(
            "role",
            "required",
            page.t("admin.role_required"),
        ));
    }
    let region = match RegionCode::parse(&form.region) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.extend(e.errors.into_iter().map(|x| FieldError {
                field: "scope.region".to_owned(),
                ..x
            }));
            None
        }
    };
    let status = match (region, errors.is_empty()) {
        (Some(region), true) => {
            let scope = Scope {
                region,
                department: (!form.department.is_empty()).then(|| form.department.clone()),
                centre: (!form.centre.is_empty()).then(|| form.centre.clone()),
            };
            match state
                .app
                .grant_role(&admin.principal, id, &form.role, &scope)
                .await
            {
                Ok(_) => return Ok(see_other(&format!("/admin/staff/{id}?notice=granted"))),
                Err(AppError::Invalid(v)) => {
                    errors = v.errors;
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                Err(AppError::Forbidden(message)) => {
                    errors.push(FieldError::new("role", "forbidden", message));
                    StatusCode::FORBIDDEN
                }
                Err(AppError::Conflict(message)) => {
                    errors.push(FieldError::new("role", "conflict", message));
                    StatusCode::CONFLICT
                }
                Err(AppError::NotFound(what)) => {
                    let field = if what.starts_with("department") {
                        "scope.department"
                    } else if what.starts_with("service centre") {
                        "scope.centre"
                    } else {
                        "role"
                    };
                    errors.push(FieldError::new(
                        field,
                        "not_found",
                        AppError::NotFound(what).to_string(),
                    ));
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                Err(other) => return Err(PageError::from_app(&page, other)),
            }
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let v = view(&state, page, &admin, staff, form, errors, None).await?;
    Ok(render_status(status, &v))
}

/// Removes one grant of this person.
pub async fn revoke_grant(
    State(state): State<AppState>,
    page: PageCtx,
    Path((id, grant_id)): Path<(i64, i64)>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    let grants = state
        .app
        .store
        .list_grants(id)
        .await
        .map_err(store_error(&page))?;
    if !grants.iter().any(|g| g.id == grant_id) {
        return Err(PageError::not_found(&page));
    }
    state
        .app
        .revoke_grant(&admin.principal, grant_id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    Ok(see_other(&format!("/admin/staff/{id}?notice=revoked")))
}

async fn set_disabled(
    state: AppState,
    page: PageCtx,
    id: i64,
    body: Bytes,
    disabled: bool,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    state
        .app
        .set_staff_disabled(&admin.principal, id, disabled)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let notice = if disabled { "disabled" } else { "enabled" };
    Ok(see_other(&format!("/admin/staff/{id}?notice={notice}")))
}

/// Disables the account and ends its sessions.
pub async fn disable(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    set_disabled(state, page, id, body, true).await
}

/// Re-enables the account.
pub async fn enable(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    set_disabled(state, page, id, body, false).await
}

/// Ends every session of the account.
pub async fn revoke_sessions(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    state
        .app
        .revoke_staff_sessions(&admin.principal, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    Ok(see_other(&format!("/admin/staff/{id}?notice=sessions")))
}
