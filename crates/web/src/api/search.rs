//! `GET /api/v1/search?q=&module=&limit=` — catalogue search.
//!
//! Rules: searches published items by name, keywords, synonyms, department
//! and material names, in Chinese (word segmentation), English or pinyin
//! initials (`yyzz` finds 营业执照). `limit` is 1–100, 20 by default; an
//! empty `module` means every module; an unknown module or a limit out of
//! range is a 400 naming the parameter. A blank query finds nothing.

use axum::Json;
use axum::extract::State;
use onetrip_app::search::SearchResult;
use onetrip_domain::catalogue::Module;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{TextView, bad_param, non_blank};
use crate::problem::{ApiError, ApiQuery, Problem};
use crate::state::AppState;

/// Largest `limit`.
pub const MAX_LIMIT: usize = 100;
/// `limit` when none is given.
pub const DEFAULT_LIMIT: usize = 20;
/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Search parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to look for (Chinese, English or pinyin initials), at most 200 characters.
    pub q: Option<String>,
    /// Only this module (empty: every module).
    pub module: Option<String>,
    /// Number of results, 1–100 (default 20).
    pub limit: Option<String>,
}

/// One search hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHitView {
    /// Item code.
    pub code: String,
    /// Item name.
    pub name: TextView,
    /// Module code.
    pub module: String,
    /// Implementing body name.
    pub department: TextView,
    /// Promised limit in working days.
    pub promised_limit_days: u32,
    /// On-site trips.
    pub on_site_trips: u8,
}

impl From<SearchResult> for SearchHitView {
    fn from(r: SearchResult) -> Self {
        Self {
            code: r.code,
            name: TextView {
                zh: r.name_zh,
                en: r.name_en,
            },
            module: r.module.as_str().to_owned(),
            department: TextView {
                zh: r.department_zh,
                en: r.department_en,
            },
            promised_limit_days: r.promised_limit_days,
            on_site_trips: r.on_site_trips,
        }
    }
}

/// Ranked results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// The query as understood (trimmed).
    pub query: String,
    /// Hits, best first.
    pub items: Vec<SearchHitView>,
}

/// Searches the published catalogue.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "catalogue",
    params(SearchQuery),
    responses(
        (status = 200, description = "Hits, best first", body = SearchResults),
        (status = 400, description = "Unknown module, limit out of range or query too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    let module = match non_blank(q.module.as_deref()) {
        None => None,
        Some(m) => Some(Module::parse(m).ok_or_else(|| {
            bad_param(
                "module",
                "unknown_module",
                "应为 business_registration / investment_projects / construction_projects / single_items",
            )
        })?),
    };
    let limit = match non_blank(q.limit.as_deref()) {
        None => DEFAULT_LIMIT,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                bad_param(
                    "limit",
                    "out_of_range",
                    format!("应为1至{MAX_LIMIT}的整数 / an integer from 1 to {MAX_LIMIT}"),
                )
            })?,
    };
    let query = q.q.as_deref().unwrap_or_default().trim().to_owned();
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(bad_param(
            "q",
            "too_long",
            format!("不超过{MAX_QUERY_CHARS}个字 / at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let items = if query.is_empty() {
        Vec::new()
    } else {
        state
            .app
            .search
            .search(&query, module, limit)?
            .into_iter()
            .map(SearchHitView::from)
            .collect()
    };
    Ok(Json(SearchResults { query, items }))
}
