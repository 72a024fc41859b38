//! `GET /admin/staff` lists staff accounts (login name, name, employment
//! type, disabled, roles) with a form to create one; `POST /admin/staff`
//! creates the account through `App::create_staff` (needs `staff.manage`).
//! Every bad field is shown at once; a taken login name is a 409.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_app::admin::StaffForm;
use onetrip_domain::FieldError;
use onetrip_domain::access::EmploymentType;
use onetrip_store::{RoleRecord, Store};

use super::{
    Admin, AdminNav, NoticeQuery, Opt, Section, check_csrf, error_for, field, notice, parse_pairs,
    see_other, store_error,
};
use crate::i18n::Lang;
use crate::page::{PageCtx, PageError, PageResult, render, render_status};
use crate::state::AppState;

/// A role as shown next to a person.
#[derive(Debug, Clone)]
pub struct RoleTag {
    /// Role name.
    pub name: String,
    /// The role carries a core permission.
    pub core: bool,
}

/// One line of the staff list.
#[derive(Debug, Clone)]
pub struct StaffRow {
    /// Detail link.
    pub href: String,
    /// Login name.
    pub username: String,
    /// Name.
    pub display_name: String,
    /// Employment label.
    pub employment: &'static str,
    /// Contractor staff.
    pub contractor: bool,
    /// Disabled.
    pub disabled: bool,
    /// Granted roles.
    pub roles: Vec<RoleTag>,
}

/// The create form as typed (the password is never echoed).
#[derive(Debug, Clone, Default)]
pub struct NewStaffForm {
    /// Login name.
    pub username: String,
    /// Name.
    pub display_name: String,
    /// Employment code.
    pub employment_type: String,
}

#[derive(Template)]
#[template(path = "admin/staff.html")]
struct StaffPage {
    page: PageCtx,
    nav: AdminNav,
    notice: Option<&'static str>,
    rows: Vec<StaffRow>,
    form: NewStaffForm,
    employment_types: Vec<Opt>,
    errors: Vec<FieldError>,
    can_create: bool,
}

impl StaffPage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        crate::page::field_id(path.as_ref())
    }
}

/// The display name of a role in `lang`.
pub fn role_name(lang: Lang, roles: &[RoleRecord], code: &str) -> (String, bool) {
    roles
        .iter()
        .find(|r| r.code == code)
        .map(|r| (lang.choose(&r.name_zh, &r.name_en).to_owned(), r.is_core()))
        .unwrap_or_else(|| (code.to_owned(), false))
}

async fn rows(store: &dyn Store, lang: Lang) -> Result<Vec<StaffRow>, onetrip_store::StoreError> {
    let roles = store.list_roles().await?;
    let mut out = Vec::new();
    for s in store.list_staff().await? {
        let grants = store.list_grants(s.id).await?;
        let mut tags: Vec<RoleTag> = Vec::new();
        for g in grants {
            let (name, core) = role_name(lang, &roles, &g.role);
            if !tags.iter().any(|t| t.name == name) {
                tags.push(RoleTag { name, core });
            }
        }
        out.push(StaffRow {
            href: format!("/admin/staff/{}", s.id),
            username: s.username,
            display_name: s.display_name,
            employment: s.employment.label(lang.code()),
            contractor: s.employment == EmploymentType::Contractor,
            disabled: s.disabled,
            roles: tags,
        });
    }
    Ok(out)
}

fn employment_opts(lang: Lang, current: &str) -> Vec<Opt> {
    EmploymentType::ALL
        .iter()
        .map(|e| Opt::new(e.as_str(), e.label(lang.code()), e.as_str() == current))
        .collect()
}

async fn view(
    state: &AppState,
    page: PageCtx,
    admin: &Admin,
    form: NewStaffForm,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<StaffPage, PageError> {
    let rows = rows(state.app.store.as_ref(), page.lang)
        .await
        .map_err(store_error(&page))?;
    Ok(StaffPage {
        nav: admin.nav(&page, Section::Staff),
        notice,
        rows,
        employment_types: employment_opts(page.lang, &form.employment_type),
        form,
        errors,
        can_create: admin.can(onetrip_domain::access::Permission::StaffManage),
        page,
    })
}

/// Lists staff.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Staff)?;
    let notice = notice(&page, q.notice.as_deref());
    let form = NewStaffForm {
        employment_type: EmploymentType::CivilServant.as_str().to_owned(),
        ..NewStaffForm::default()
    };
    let v = view(&state, page, &admin, form, Vec::new(), notice).await?;
    Ok(render(&v))
}

/// Creates a staff account.
pub async fn create(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Staff)?;
    let input = StaffForm {
        username: field(&pairs, "username").to_owned(),
        display_name: field(&pairs, "display_name").to_owned(),
        employment_type: field(&pairs, "employment_type").to_owned(),
        password: field(&pairs, "password").to_owned(),
    };
    let (status, errors) = match state.app.create_staff(&admin.principal, &input).await {
        Ok(record) => {
            return Ok(see_other(&format!(
                "/admin/staff/{}?notice=created",
                record.id
            )));
        }
        Err(AppError::Invalid(v)) => (StatusCode::UNPROCESSABLE_ENTITY, v.errors),
        Err(AppError::Conflict(message)) => (
            StatusCode::CONFLICT,
            vec![FieldError::new("username", "taken", message)],
        ),
        Err(other) => return Err(PageError::from_app(&page, other)),
    };
    let form = NewStaffForm {
        username: input.username,
        display_name: input.display_name,
        employment_type: input.employment_type,
    };
    let v = view(&state, page, &admin, form, errors, None).await?;
    Ok(render_status(status, &v))
}
