//! `GET /search?q=…&module=…` — Chinese full-text search with word
//! segmentation, pinyin initials and synonyms.

use askama::Template;
use axum::extract::{Query, State};
use onetrip_domain::catalogue::Module;
use serde::Deserialize;

use super::catalogue::Choice;
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    /// Search words.
    #[serde(default)]
    pub q: String,
    /// Optional module code.
    #[serde(default)]
    pub module: String,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Link.
    pub href: String,
    /// Name in the page language.
    pub name: String,
    /// Name in the other language.
    pub other_name: String,
    /// Module label.
    pub module: String,
    /// Department.
    pub department: String,
    /// Promised days.
    pub promised: u32,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: PageCtx,
    q: String,
    modules: Vec<Choice>,
    hits: Vec<Hit>,
}

/// Shows results, best first (at most 50).
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<SearchQuery>,
) -> PageResult {
    let lang = page.lang;
    let module = Module::parse(&query.module);
    let q: String = query.q.chars().take(100).collect();
    let results = state
        .app
        .search
        .search(&q, module, 50)
        .map_err(|e| PageError::from_app(&page, e))?;
    let hits = results
        .into_iter()
        .map(|r| Hit {
            href: format!("/items/{}", r.code),
            name: lang.choose(&r.name_zh, &r.name_en).to_owned(),
            other_name: lang.other().choose(&r.name_zh, &r.name_en).to_owned(),
            module: r.module.label(lang.code()).to_owned(),
            department: lang.choose(&r.department_zh, &r.department_en).to_owned(),
            promised: r.promised_limit_days,
        })
        .collect();
    let modules = Module::ALL
        .iter()
        .map(|m| Choice {
            value: m.as_str().to_owned(),
            label: m.label(lang.code()).to_owned(),
            selected: Some(*m) == module,
        })
        .collect();
    Ok(render(&SearchPage {
        page,
        q,
        modules,
        hits,
    }))
}
