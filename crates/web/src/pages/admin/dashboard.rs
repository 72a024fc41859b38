//! `GET /admin` — the administration home: a card for every section the
//! user may use, with the numbers of published items, open drafts and staff
//! accounts where they are relevant. Staff holding no administration
//! permission get 403; applicants 403; anonymous visitors sign in first.

use askama::Template;
use axum::extract::State;
use onetrip_domain::access::Permission;
use onetrip_domain::catalogue::ItemStatus;
use onetrip_store::ItemFilter;

use super::{Admin, AdminNav, Section, store_error};
use crate::page::{PageCtx, PageResult, render};
use crate::state::AppState;

/// One section card.
#[derive(Debug, Clone)]
pub struct Card {
    /// Target.
    pub href: &'static str,
    /// Title.
    pub label: &'static str,
    /// What the section is for.
    pub hint: &'static str,
    /// Figures `(label, number)`.
    pub counts: Vec<(&'static str, usize)>,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    nav: AdminNav,
    name: String,
    cards: Vec<Card>,
}

/// Shows the dashboard.
pub async fn show(State(state): State<AppState>, page: PageCtx) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Dashboard)?;
    let store = state.app.store.as_ref();
    let fail = store_error(&page);
    let mut cards = Vec::new();
    if admin.sees(Section::Catalogue) {
        let published = store
            .list_items(&ItemFilter::default())
            .await
            .map_err(&fail)?
            .len();
        let drafts = store
            .list_items(&ItemFilter {
                status: Some(ItemStatus::Draft),
                ..ItemFilter::default()
            })
            .await
            .map_err(&fail)?
            .len();
        cards.push(Card {
            href: "/admin/catalogue",
            label: page.t("admin.catalogue"),
            hint: page.t("admin.catalogue_hint"),
            counts: vec![
                (page.t("admin.count_published"), published),
                (page.t("admin.count_drafts"), drafts),
            ],
        });
    }
    if admin.sees(Section::Import) {
        cards.push(Card {
            href: "/admin/catalogue/import",
            label: page.t("admin.import"),
            hint: page.t("admin.import_hint"),
            counts: Vec::new(),
        });
    }
    if admin.can(Permission::DataExport) {
        cards.push(Card {
            href: "/admin/catalogue/export",
            label: page.t("admin.export"),
            hint: page.t("admin.export_hint"),
            counts: Vec::new(),
        });
    }
    if admin.sees(Section::Staff) {
        let staff = store.list_staff().await.map_err(&fail)?.len();
        cards.push(Card {
            href: "/admin/staff",
            label: page.t("admin.staff"),
            hint: page.t("admin.staff_hint"),
            counts: vec![(page.t("admin.count_staff"), staff)],
        });
    }
    if admin.sees(Section::Roles) {
        cards.push(Card {
            href: "/admin/roles",
            label: page.t("admin.roles"),
            hint: page.t("admin.roles_hint"),
            counts: Vec::new(),
        });
    }
    if admin.sees(Section::Audit) {
        cards.push(Card {
            href: "/admin/audit",
            label: page.t("admin.audit"),
            hint: page.t("admin.audit_hint"),
            counts: Vec::new(),
        });
    }
    drop(fail);
    Ok(render(&DashboardPage {
        nav: admin.nav(&page, Section::Dashboard),
        name: admin.staff.display_name.clone(),
        cards,
        page,
    }))
}
