//! `GET /bundles` — the 一件事 list: each bundle with its items (and the
//! situation it fixes for each), the promised limit and a link to apply.
//!
//! Rules: public; an item that is not published at the moment is shown as
//! unavailable (applying would be refused until it is published again).

use askama::Template;
use axum::extract::State;

use crate::page::{PageCtx, PageError, PageResult, render};
use crate::state::AppState;

/// One item of a bundle as shown.
#[derive(Debug, Clone)]
pub struct BundleItemRow {
    /// Guide link.
    pub href: String,
    /// Name and situation.
    pub name: String,
    /// Published now.
    pub available: bool,
}

/// One bundle as shown.
#[derive(Debug, Clone)]
pub struct BundleRow {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Promised working days.
    pub promised_days: u32,
    /// Items.
    pub items: Vec<BundleItemRow>,
    /// Apply link.
    pub apply_href: String,
    /// Every item is published.
    pub available: bool,
}

#[derive(Template)]
#[template(path = "bundles.html")]
struct BundlesPage {
    page: PageCtx,
    bundles: Vec<BundleRow>,
}

/// Lists the bundles.
pub async fn show(State(state): State<AppState>, page: PageCtx) -> PageResult {
    let fail = |e: onetrip_store::StoreError| PageError::from_app(&page, e.into());
    let bundles = state.app.store.list_bundles().await.map_err(fail)?;
    let published = state.app.store.published_items().await.map_err(fail)?;
    let lang = page.lang;
    let rows = bundles
        .into_iter()
        .map(|b| {
            let items: Vec<BundleItemRow> = b
                .items
                .iter()
                .map(
                    |bi| match published.iter().find(|v| v.body.code == bi.item) {
                        Some(v) => {
                            let situation = v
                                .body
                                .situations
                                .iter()
                                .find(|s| s.code == bi.situation)
                                .map(|s| lang.pick(&s.name).to_owned())
                                .unwrap_or_else(|| bi.situation.clone());
                            BundleItemRow {
                                href: format!("/items/{}", bi.item),
                                name: format!("{}（{situation}）", lang.pick(&v.body.name)),
                                available: true,
                            }
                        }
                        None => BundleItemRow {
                            href: format!("/items/{}", bi.item),
                            name: bi.item.clone(),
                            available: false,
                        },
                    },
                )
                .collect();
            BundleRow {
                name: lang.pick(&b.name).to_owned(),
                description: lang.pick(&b.description).to_owned(),
                promised_days: b.promised_limit_days,
                available: items.iter().all(|i| i.available),
                items,
                apply_href: format!("/apply/bundle/{}", b.code),
            }
        })
        .collect();
    Ok(render(&BundlesPage {
        page,
        bundles: rows,
    }))
}
