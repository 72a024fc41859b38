//! Administration pages (catalogue editing, staff, roles, audit).
//!
//! Rules shared by every admin page: an anonymous visitor is sent to sign
//! in; an applicant gets 403; staff see only the sections their grants
//! allow (menus are hidden with [`StaffPrincipal::has_anywhere`]). Every
//! change goes through an app use case, which makes the authorisation
//! decision; refusals are shown as the app words them. Read-only pages for
//! which the app has no use case are gated on holding the section's
//! permission somewhere. Every form carries the CSRF token and every
//! successful POST answers 303.

pub mod audit;
pub mod calendar;
pub mod catalogue;
pub mod dashboard;
pub mod import_export;
pub mod item_edit;
pub mod item_form;
pub mod item_publish;
pub mod roles;
pub mod staff;
pub mod staff_detail;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use onetrip_app::AppError;
use onetrip_app::auth::Principal;
use onetrip_domain::FieldError;
use onetrip_domain::access::{AccessError, Permission, StaffPrincipal};
use onetrip_store::StoreError;

use crate::page::{PageCtx, PageError};

/// A section of the administration and who may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `/admin`.
    Dashboard,
    /// `/admin/catalogue` and the item editor.
    Catalogue,
    /// `/admin/catalogue/import`.
    Import,
    /// `/admin/staff`.
    Staff,
    /// `/admin/roles`.
    Roles,
    /// `/admin/audit`.
    Audit,
    /// `/admin/calendar`.
    Calendar,
    /// `/admin/hall/stats`.
    HallStats,
    /// `/admin/hall/planner`.
    HallPlanner,
}

impl Section {
    /// Holding any of these permissions somewhere shows the section.
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            Self::Dashboard => &[
                Permission::CatalogueEdit,
                Permission::CataloguePublish,
                Permission::DataExport,
                Permission::StaffManage,
                Permission::RoleManage,
                Permission::AuditView,
            ],
            Self::Catalogue => &[Permission::CatalogueEdit, Permission::CataloguePublish],
            Self::Import => &[Permission::CatalogueEdit],
            Self::Staff | Self::Roles => &[Permission::StaffManage, Permission::RoleManage],
            Self::Audit => &[Permission::AuditView],
            Self::Calendar => &[Permission::CalendarManage, Permission::SupervisionView],
            Self::HallStats => &[Permission::SupervisionView, Permission::QueueOperate],
            Self::HallPlanner => &[Permission::SupervisionView],
        }
    }

    fn href(self) -> &'static str {
        match self {
            Self::Dashboard => "/admin",
            Self::Catalogue => "/admin/catalogue",
            Self::Import => "/admin/catalogue/import",
            Self::Staff => "/admin/staff",
            Self::Roles => "/admin/roles",
            Self::Audit => "/admin/audit",
            Self::Calendar => "/admin/calendar",
            Self::HallStats => "/admin/hall/stats",
            Self::HallPlanner => "/admin/hall/planner",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Self::Dashboard => "admin.dashboard",
            Self::Catalogue => "admin.catalogue",
            Self::Import => "admin.import",
            Self::Staff => "admin.staff",
            Self::Roles => "admin.roles",
            Self::Audit => "admin.audit",
            Self::Calendar => "admin.calendar",
            Self::HallStats => "hall.admin.stats",
            Self::HallPlanner => "hall.admin.planner",
        }
    }

    const MENU: &'static [Section] = &[
        Self::Dashboard,
        Self::Catalogue,
        Self::Import,
        Self::Staff,
        Self::Roles,
        Self::Audit,
        Self::Calendar,
        Self::HallStats,
        Self::HallPlanner,
    ];
}

/// One entry of the admin menu.
#[derive(Debug, Clone)]
pub struct NavLink {
    /// Target.
    pub href: &'static str,
    /// Label.
    pub label: &'static str,
    /// The page being shown.
    pub current: bool,
}

/// The admin menu: only the sections the user may use.
#[derive(Debug, Clone, Default)]
pub struct AdminNav {
    /// Entries.
    pub links: Vec<NavLink>,
}

/// An option of a select or a checkbox group.
#[derive(Debug, Clone, Default)]
pub struct Opt {
    /// Submitted value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Selected or ticked.
    pub selected: bool,
    /// Marks a core permission or role.
    pub core: bool,
}

impl Opt {
    /// Builds an option.
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            selected,
            core: false,
        }
    }
}

/// Options of a code enum, marking `current` as selected.
pub fn enum_opts<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, &str) -> &'static str,
    lang: &str,
    current: &[String],
) -> Vec<Opt> {
    all.iter()
        .map(|v| {
            let c = code(*v);
            Opt::new(c, label(*v, lang), current.iter().any(|x| x == c))
        })
        .collect()
}

/// The signed-in staff member of an admin request.
#[derive(Debug, Clone)]
pub struct Admin {
    /// As the app wants it.
    pub principal: Principal,
    /// With grants.
    pub staff: StaffPrincipal,
}

impl Admin {
    /// The signed-in staff member: anonymous visitors are sent to sign in,
    /// applicants get the app's “staff only” refusal (403).
    pub fn of(page: &PageCtx) -> Result<Self, PageError> {
        let principal = page.require_principal()?.clone();
        let staff = principal
            .staff()
            .map_err(|e| PageError::from_app(page, e))?
            .clone();
        Ok(Self { principal, staff })
    }

    /// True when the user holds `permission` somewhere.
    pub fn can(&self, permission: Permission) -> bool {
        self.staff.has_anywhere(permission)
    }

    /// True when the user may see `section`.
    pub fn sees(&self, section: Section) -> bool {
        section.permissions().iter().any(|p| self.can(*p))
    }

    /// 403 unless the user may see `section`.
    pub fn gate(&self, page: &PageCtx, section: Section) -> Result<(), PageError> {
        if self.sees(section) {
            return Ok(());
        }
        let permission = section
            .permissions()
            .first()
            .map_or("admin", |p| p.as_str());
        Err(PageError::from_app(
            page,
            AppError::from(AccessError::Missing { permission }),
        ))
    }

    /// The admin menu with `current` marked.
    pub fn nav(&self, page: &PageCtx, current: Section) -> AdminNav {
        AdminNav {
            links: Section::MENU
                .iter()
                .filter(|s| self.sees(**s))
                .map(|s| NavLink {
                    href: s.href(),
                    label: page.t(s.label_key()),
                    current: *s == current,
                })
                .collect(),
        }
    }
}

/// Reads a form body as `(name, value)` pairs, keeping repeated names.
pub fn parse_pairs(page: &PageCtx, body: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    crate::page::parse_form::<Vec<(String, String)>>(page, body)
}

/// The first value of `name`, or `""`.
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Every value of a repeated `name`.
pub fn fields<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// 403 unless the submitted CSRF token matches.
pub fn check_csrf(page: &PageCtx, pairs: &[(String, String)]) -> Result<(), PageError> {
    if page.current.csrf_ok(field(pairs, "csrf_token")) {
        Ok(())
    } else {
        Err(PageError::csrf(page))
    }
}

/// 303 to `to`.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, Redirect::to(to)).into_response()
}

/// Turns a store error into a page error.
pub fn store_error(page: &PageCtx) -> impl Fn(StoreError) -> PageError + '_ {
    move |e| PageError::from_app(page, e.into())
}

/// The message of the first error on `field`.
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// The notice shown after a redirect (`?notice=saved`); unknown codes show nothing.
pub fn notice(page: &PageCtx, code: Option<&str>) -> Option<&'static str> {
    let key = match code? {
        "saved" => "admin.notice.saved",
        "published" => "admin.notice.published",
        "retired" => "admin.notice.retired",
        "imported" => "admin.notice.imported",
        "created" => "admin.notice.created",
        "granted" => "admin.notice.granted",
        "revoked" => "admin.notice.revoked",
        "disabled" => "admin.notice.disabled",
        "enabled" => "admin.notice.enabled",
        "sessions" => "admin.notice.sessions",
        "role_saved" => "admin.notice.role_saved",
        "calendar_imported" => "admin.notice.calendar_imported",
        _ => return None,
    };
    Some(page.t(key))
}

/// Query carrying a notice code.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoticeQuery {
    /// Notice code.
    pub notice: Option<String>,
}
