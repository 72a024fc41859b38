//! `GET /admin/roles` — every role with its permissions (core ones tagged),
//! an edit form per role and a form for a new role; `POST /admin/roles`
//! (`form=new|edit`, `code`, `name_zh`, `name_en`, repeated `permissions`)
//! saves through `App::save_role` (needs `role.manage`). The app refuses to
//! add a core permission to a role any contractor holds; the refusal is
//! shown next to that role's form (403) and audited by the app. A new role
//! may not take an existing code.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_domain::FieldError;
use onetrip_domain::access::Permission;
use onetrip_store::RoleRecord;

use super::{
    Admin, AdminNav, NoticeQuery, Opt, Section, check_csrf, error_for, field, fields, notice,
    parse_pairs, see_other, store_error,
};
use crate::i18n::Lang;
use crate::page::{PageCtx, PageError, PageResult, field_id, render, render_status};
use crate::state::AppState;

/// A permission as listed under a role.
#[derive(Debug, Clone)]
pub struct PermTag {
    /// Code.
    pub code: &'static str,
    /// Label.
    pub label: &'static str,
    /// Core permission.
    pub core: bool,
}

/// A role with its edit form (or the new-role form).
#[derive(Debug, Clone)]
pub struct RoleCard {
    /// Code (empty for the new-role form until typed).
    pub code: String,
    /// Heading.
    pub title: String,
    /// Holds a core permission.
    pub core: bool,
    /// Stored permissions.
    pub permissions: Vec<PermTag>,
    /// Prefix of the form's field paths (`roles[helper].` or empty).
    pub prefix: String,
    /// Name in Chinese as in the form.
    pub name_zh: String,
    /// Name in English as in the form.
    pub name_en: String,
    /// Permission checkboxes.
    pub options: Vec<Opt>,
}

impl RoleCard {
    /// The error path of a field of this card's form.
    pub fn path(&self, sub: &str) -> String {
        format!("{}{sub}", self.prefix)
    }

    /// The id of a permission checkbox.
    pub fn checkbox_id(&self, permission: &str) -> String {
        format!(
            "{}-{}",
            field_id(&self.path("permissions")),
            permission.replace('.', "-")
        )
    }
}

#[derive(Template)]
#[template(path = "admin/roles.html")]
struct RolesPage {
    page: PageCtx,
    nav: AdminNav,
    notice: Option<&'static str>,
    cards: Vec<RoleCard>,
    new_role: RoleCard,
    errors: Vec<FieldError>,
    can_edit: bool,
}

impl RolesPage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        field_id(path.as_ref())
    }

    fn new_roles(&self) -> &[RoleCard] {
        std::slice::from_ref(&self.new_role)
    }
}

fn options(lang: Lang, held: &[Permission]) -> Vec<Opt> {
    Permission::ALL
        .iter()
        .map(|p| Opt {
            core: p.is_core(),
            ..Opt::new(p.as_str(), p.label(lang.code()), held.contains(p))
        })
        .collect()
}

fn card(lang: Lang, role: &RoleRecord) -> RoleCard {
    RoleCard {
        code: role.code.clone(),
        title: lang.choose(&role.name_zh, &role.name_en).to_owned(),
        core: role.is_core(),
        permissions: role
            .permissions
            .iter()
            .map(|p| PermTag {
                code: p.as_str(),
                label: p.label(lang.code()),
                core: p.is_core(),
            })
            .collect(),
        prefix: format!("roles[{}].", role.code),
        name_zh: role.name_zh.clone(),
        name_en: role.name_en.clone(),
        options: options(lang, &role.permissions),
    }
}

fn blank_card(lang: Lang) -> RoleCard {
    RoleCard {
        code: String::new(),
        title: String::new(),
        core: false,
        permissions: Vec::new(),
        prefix: String::new(),
        name_zh: String::new(),
        name_en: String::new(),
        options: options(lang, &[]),
    }
}

async fn load(state: &AppState, page: &PageCtx) -> Result<Vec<RoleRecord>, PageError> {
    state
        .app
        .store
        .list_roles()
        .await
        .map_err(store_error(page))
}

/// Lists the roles.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Roles)?;
    let roles = load(&state, &page).await?;
    let lang = page.lang;
    Ok(render(&RolesPage {
        nav: admin.nav(&page, Section::Roles),
        notice: notice(&page, q.notice.as_deref()),
        cards: roles.iter().map(|r| card(lang, r)).collect(),
        new_role: blank_card(lang),
        errors: Vec::new(),
        can_edit: admin.can(Permission::RoleManage),
        page,
    }))
}

/// Creates or edits a role.
pub async fn save(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Roles)?;
    let lang = page.lang;
    let is_new = field(&pairs, "form") != "edit";
    let code = field(&pairs, "code").trim().to_owned();
    let mut permissions = Vec::new();
    let mut errors = Vec::new();
    for p in fields(&pairs, "permissions") {
        match Permission::parse(p) {
            Some(p) if !permissions.contains(&p) => permissions.push(p),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "permissions",
                "unknown",
                format!("未知权限 {p} / unknown permission"),
            )),
        }
    }
    let role = RoleRecord {
        code: code.clone(),
        name_zh: field(&pairs, "name_zh").trim().to_owned(),
        name_en: field(&pairs, "name_en").trim().to_owned(),
        permissions,
    };
    let roles = load(&state, &page).await?;
    let exists = roles.iter().any(|r| r.code == code);
    if is_new && exists {
        errors.push(FieldError::new("code", "taken", page.t("admin.role_taken")));
    } else if !is_new && !exists {
        return Err(PageError::not_found(&page));
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if errors.is_empty() {
        match state.app.save_role(&admin.principal, &role).await {
            Ok(()) => return Ok(see_other("/admin/roles?notice=role_saved")),
            Err(AppError::Invalid(v)) => errors = v.errors,
            Err(AppError::Forbidden(message)) => {
                status = StatusCode::FORBIDDEN;
                errors.push(FieldError::new("permissions", "forbidden", message));
            }
            Err(other) => return Err(PageError::from_app(&page, other)),
        }
    }
    // Show the submitted values in the form they came from.
    let mut submitted = card(lang, &role);
    submitted.options = options(lang, &role.permissions);
    let prefix = if is_new {
        String::new()
    } else {
        format!("roles[{code}].")
    };
    let errors: Vec<FieldError> = errors
        .into_iter()
        .map(|e| FieldError {
            field: format!("{prefix}{}", e.field),
            ..e
        })
        .collect();
    let mut cards: Vec<RoleCard> = roles.iter().map(|r| card(lang, r)).collect();
    let mut new_role = blank_card(lang);
    if is_new {
        new_role.code = role.code.clone();
        new_role.name_zh = role.name_zh.clone();
        new_role.name_en = role.name_en.clone();
        new_role.options = submitted.options;
    } else if let Some(c) = cards.iter_mut().find(|c| c.code == code) {
        c.name_zh = role.name_zh.clone();
        c.name_en = role.name_en.clone();
        c.options = submitted.options;
    }
    let view = RolesPage {
        nav: admin.nav(&page, Section::Roles),
        notice: None,
        cards,
        new_role,
        errors,
        can_edit: admin.can(Permission::RoleManage),
        page,
    };
    Ok(render_status(status, &view))
}
