//! `GET /catalogue` — browse published items by module, department, life
//! event and region. Unknown filter values are reported, not ignored.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use onetrip_domain::FieldError;
use onetrip_domain::catalogue::Module;
use onetrip_store::ItemFilter;
use serde::Deserialize;

use crate::page::{PageCtx, PageError, PageResult, render, render_status};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct BrowseQuery {
    /// Module code.
    #[serde(default)]
    pub module: String,
    /// Department code.
    #[serde(default)]
    pub department: String,
    /// Life-event code.
    #[serde(default)]
    pub life_event: String,
    /// Region code.
    #[serde(default)]
    pub region: String,
}

/// An option of a filter.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Selected?
    pub selected: bool,
}

/// A line of the listing.
#[derive(Debug, Clone)]
pub struct Row {
    /// Link.
    pub href: String,
    /// Name.
    pub name: String,
    /// Module label.
    pub module: String,
    /// Department name.
    pub department: String,
    /// Promised days.
    pub promised: i64,
    /// Trips.
    pub trips: i64,
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct CataloguePage {
    page: PageCtx,
    errors: Vec<FieldError>,
    modules: Vec<Choice>,
    departments: Vec<Choice>,
    life_events: Vec<Choice>,
    regions: Vec<Choice>,
    rows: Vec<Row>,
}

/// Lists published items matching the filters.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<BrowseQuery>,
) -> PageResult {
    let store = state.app.store.as_ref();
    let lang = page.lang;
    let fail = |e: onetrip_store::StoreError| PageError::from_app(&page, e.into());
    let departments = store.list_departments().await.map_err(fail)?;
    let life_events = store.list_life_events().await.map_err(fail)?;
    let regions = store.list_regions().await.map_err(fail)?;
    let mut errors = Vec::new();
    let module = match q.module.as_str() {
        "" => None,
        m => Module::parse(m).or_else(|| {
            errors.push(FieldError::new(
                "module",
                "unknown",
                lang.choose("未知的审批模块", "Unknown module"),
            ));
            None
        }),
    };
    let known =
        |ok: bool, field: &str, errors: &mut Vec<FieldError>, value: &str| -> Option<String> {
            if value.is_empty() {
                None
            } else if ok {
                Some(value.to_owned())
            } else {
                errors.push(FieldError::new(
                    field,
                    "unknown",
                    lang.choose("未知的筛选值", "Unknown filter value"),
                ));
                None
            }
        };
    let department = known(
        departments.iter().any(|d| d.code == q.department),
        "department",
        &mut errors,
        &q.department,
    );
    let life_event = known(
        life_events.iter().any(|l| l.code == q.life_event),
        "life_event",
        &mut errors,
        &q.life_event,
    );
    let region = known(
        regions.iter().any(|r| r.code.as_str() == q.region),
        "region",
        &mut errors,
        &q.region,
    );
    let filter = ItemFilter {
        module,
        department,
        life_event,
        region,
        status: None,
    };
    let items = store.list_items(&filter).await.map_err(fail)?;
    let rows = items
        .iter()
        .map(|i| Row {
            href: format!("/items/{}", i.code),
            name: lang.choose(&i.name_zh, &i.name_en).to_owned(),
            module: i.module.label(lang.code()).to_owned(),
            department: departments
                .iter()
                .find(|d| d.code == i.implementing_body)
                .map(|d| lang.pick(&d.name).to_owned())
                .unwrap_or_else(|| i.implementing_body.clone()),
            promised: i.promised_limit_days,
            trips: i.on_site_trips,
        })
        .collect();
    let choice = |value: &str, label: &str, current: &str| Choice {
        value: value.to_owned(),
        label: label.to_owned(),
        selected: value == current,
    };
    let view = CataloguePage {
        modules: Module::ALL
            .iter()
            .map(|m| choice(m.as_str(), m.label(lang.code()), &q.module))
            .collect(),
        departments: departments
            .iter()
            .map(|d| choice(&d.code, lang.pick(&d.name), &q.department))
            .collect(),
        life_events: life_events
            .iter()
            .map(|l| choice(&l.code, lang.pick(&l.name), &q.life_event))
            .collect(),
        regions: regions
            .iter()
            .map(|r| choice(r.code.as_str(), lang.pick(&r.name), &q.region))
            .collect(),
        rows,
        errors,
        page,
    };
    if view.errors.is_empty() {
        Ok(render(&view))
    } else {
        Ok(render_status(StatusCode::BAD_REQUEST, &view))
    }
}
