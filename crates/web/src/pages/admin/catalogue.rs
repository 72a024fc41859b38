//! `GET /admin/catalogue` — the catalogue as editors see it: open drafts and
//! published items, each with a link to its editor, plus links to create an
//! item, import and export. Needs `catalogue.edit` or `catalogue.publish`
//! somewhere; saving and publishing are authorised by the app per item.

use askama::Template;
use axum::extract::{Query, State};
use onetrip_domain::access::Permission;
use onetrip_domain::catalogue::ItemStatus;
use onetrip_store::{ItemFilter, ItemSummary};

use super::{Admin, AdminNav, NoticeQuery, Section, notice, store_error};
use crate::page::{PageCtx, PageResult, render};
use crate::state::AppState;

/// One line of a listing.
#[derive(Debug, Clone)]
pub struct ItemRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Implementing body's name.
    pub department: String,
    /// Region code.
    pub region: String,
    /// Version number.
    pub version: i64,
    /// Editor link.
    pub edit_href: String,
    /// Public guide link of this version.
    pub view_href: String,
}

/// A listing (drafts or published).
#[derive(Debug, Clone)]
pub struct Listing {
    /// HTML id.
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// Lines.
    pub rows: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "admin/catalogue.html")]
struct CatalogueAdminPage {
    page: PageCtx,
    nav: AdminNav,
    notice: Option<&'static str>,
    sections: Vec<Listing>,
    can_export: bool,
    can_import: bool,
}

/// Lists drafts and published items.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Catalogue)?;
    let store = state.app.store.as_ref();
    let fail = store_error(&page);
    let departments = store.list_departments().await.map_err(&fail)?;
    let lang = page.lang;
    let row = |i: &ItemSummary| ItemRow {
        code: i.code.clone(),
        name: lang.choose(&i.name_zh, &i.name_en).to_owned(),
        department: departments
            .iter()
            .find(|d| d.code == i.implementing_body)
            .map(|d| lang.pick(&d.name).to_owned())
            .unwrap_or_else(|| i.implementing_body.clone()),
        region: i.region.clone(),
        version: i.version,
        edit_href: format!("/admin/catalogue/{}/edit", i.code),
        view_href: format!("/items/{}?version={}", i.code, i.version),
    };
    let drafts: Vec<ItemRow> = store
        .list_items(&ItemFilter {
            status: Some(ItemStatus::Draft),
            ..ItemFilter::default()
        })
        .await
        .map_err(&fail)?
        .iter()
        .map(row)
        .collect();
    let published: Vec<ItemRow> = store
        .list_items(&ItemFilter::default())
        .await
        .map_err(&fail)?
        .iter()
        .map(row)
        .collect();
    drop(fail);
    Ok(render(&CatalogueAdminPage {
        nav: admin.nav(&page, Section::Catalogue),
        notice: notice(&page, q.notice.as_deref()),
        sections: vec![
            Listing {
                id: "drafts",
                title: page.t("admin.drafts"),
                rows: drafts,
            },
            Listing {
                id: "published",
                title: page.t("admin.published"),
                rows: published,
            },
        ],
        can_export: admin.can(Permission::DataExport),
        can_import: admin.sees(Section::Import),
        page,
    }))
}
