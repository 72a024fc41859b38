//! `GET /` — the portal's home page: search, the four modules, life events,
//! departments and service centres.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use onetrip_domain::catalogue::Module;
use onetrip_store::ItemFilter;

use crate::page::{PageCtx, PageError, PageResult, render};
use crate::state::AppState;

/// A link with a label and a count.
#[derive(Debug, Clone)]
pub struct CountLink {
    /// Target.
    pub href: String,
    /// Label.
    pub label: String,
    /// Number of items.
    pub count: usize,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageCtx,
    total: usize,
    modules: Vec<CountLink>,
    life_events: Vec<CountLink>,
    departments: Vec<CountLink>,
    centres: Vec<(String, String, String)>,
}

/// Shows the home page. Counts are of published items only.
pub async fn show(State(state): State<AppState>, page: PageCtx) -> PageResult {
    let store = state.app.store.as_ref();
    let fail = |e: onetrip_store::StoreError| PageError::from_app(&page, e.into());
    let items = store
        .list_items(&ItemFilter::default())
        .await
        .map_err(fail)?;
    let lang = page.lang;
    let modules = Module::ALL
        .iter()
        .map(|m| CountLink {
            href: format!("/catalogue?module={}", m.as_str()),
            label: m.label(lang.code()).to_owned(),
            count: items.iter().filter(|i| i.module == *m).count(),
        })
        .collect();
    let mut per_department: BTreeMap<String, usize> = BTreeMap::new();
    for i in &items {
        *per_department
            .entry(i.implementing_body.clone())
            .or_default() += 1;
    }
    let departments = store
        .list_departments()
        .await
        .map_err(fail)?
        .into_iter()
        .filter_map(|d| {
            let count = per_department.get(&d.code).copied()?;
            Some(CountLink {
                href: format!("/catalogue?department={}", d.code),
                label: lang.pick(&d.name).to_owned(),
                count,
            })
        })
        .collect();
    let life_events = store
        .list_life_events()
        .await
        .map_err(fail)?
        .into_iter()
        .map(|l| CountLink {
            href: format!("/catalogue?life_event={}", l.code),
            label: lang.pick(&l.name).to_owned(),
            count: items
                .iter()
                .filter(|i| i.life_events.contains(&l.code))
                .count(),
        })
        .collect();
    let centres = store
        .list_service_centres()
        .await
        .map_err(fail)?
        .into_iter()
        .map(|c| (lang.pick(&c.name).to_owned(), c.address, c.hours))
        .collect();
    Ok(render(&HomePage {
        total: items.len(),
        modules,
        life_events,
        departments,
        centres,
        page,
    }))
}
