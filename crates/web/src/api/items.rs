//! `GET /api/v1/items`, `GET /api/v1/items/{code}`,
//! `GET /api/v1/items/{code}/versions` and `GET /api/v1/items/{code}/versions/{version}`:
//! the public catalogue.
//!
//! Rules: the listing shows one line per item (the published version unless
//! `status` says otherwise); every filter value must be known, otherwise 400
//! naming the parameter. `GET /items/{code}` answers the published version
//! with its full body, 404 when none is published. Published and retired
//! versions are public; a draft is shown only to staff who may edit that
//! item (see [`may_see_draft`]); to anyone else it does not exist.

use axum::Json;
use axum::extract::State;
use onetrip_domain::catalogue::{ItemStatus, Module, ServiceItemBody};
use onetrip_domain::region::RegionCode;
use onetrip_store::{ItemFilter, ItemSummary, ItemVersion};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::api::{TextView, app_err, bad_param, known_region, non_blank};
use crate::problem::{ApiError, ApiPath, ApiQuery, Problem};
use crate::session::CurrentSession;
use crate::state::AppState;

/// Filters of the listing; every one is optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// `business_registration`, `investment_projects`, `construction_projects` or `single_items`.
    pub module: Option<String>,
    /// Implementing body (department code), for example `420100-SCJGJ`.
    pub department: Option<String>,
    /// Life-event code, for example `starting-business`.
    pub life_event: Option<String>,
    /// Region code; items implemented in this region or inside it.
    pub region: Option<String>,
    /// `published` (default), `retired`, or `draft` (staff who may edit the item only).
    pub status: Option<String>,
}

/// One line of the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemSummaryView {
    /// Item code (实施编码).
    pub code: String,
    /// Version shown.
    pub version: i64,
    /// `draft`, `published` or `retired`.
    pub status: String,
    /// Item name.
    pub name: TextView,
    /// Approval module code.
    pub module: String,
    /// Power category code, for example `licensing`.
    pub power_category: String,
    /// Implementing body (department code).
    pub implementing_body: String,
    /// Region code.
    pub region: String,
    /// Promised limit in working days.
    pub promised_limit_days: i64,
    /// On-site trips (0, 1, or 2 meaning two or more).
    pub on_site_trips: i64,
}

impl From<&ItemSummary> for ItemSummaryView {
    fn from(s: &ItemSummary) -> Self {
        Self {
            code: s.code.clone(),
            version: s.version,
            status: s.status.as_str().to_owned(),
            name: TextView {
                zh: s.name_zh.clone(),
                en: s.name_en.clone(),
            },
            module: s.module.as_str().to_owned(),
            power_category: s.power_category.as_str().to_owned(),
            implementing_body: s.implementing_body.clone(),
            region: s.region.clone(),
            promised_limit_days: s.promised_limit_days,
            on_site_trips: s.on_site_trips,
        }
    }
}

/// The catalogue listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemList {
    /// Items ordered by code.
    pub items: Vec<ItemSummaryView>,
}

/// One version of an item with its full statutory elements.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemVersionView {
    /// Row id (stable reference for cases).
    pub id: i64,
    /// Item code.
    pub code: String,
    /// Version number, 1 upwards.
    pub version: i64,
    /// `draft`, `published` or `retired`.
    pub status: String,
    /// Date from which the version applies.
    #[schema(value_type = String, format = Date, example = "2026-03-01")]
    pub effective_from: Date,
    /// When it was published (microseconds since the Unix epoch), if it was.
    pub published_at: Option<i64>,
    /// The statutory elements (`ServiceItemBody` of the `onetrip-catalogue/1` format).
    #[schema(value_type = Object)]
    pub body: ServiceItemBody,
}

impl From<ItemVersion> for ItemVersionView {
    fn from(v: ItemVersion) -> Self {
        Self {
            id: v.id,
            code: v.body.code.clone(),
            version: v.version,
            status: v.status.as_str().to_owned(),
            effective_from: v.effective_from,
            published_at: v.published_at_micros,
            body: v.body,
        }
    }
}

/// One line of an item's history (without the body).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionSummaryView {
    /// Row id.
    pub id: i64,
    /// Version number.
    pub version: i64,
    /// `draft`, `published` or `retired`.
    pub status: String,
    /// Date from which the version applies.
    #[schema(value_type = String, format = Date, example = "2026-03-01")]
    pub effective_from: Date,
    /// When it was published (microseconds since the Unix epoch), if it was.
    pub published_at: Option<i64>,
    /// Item name in this version.
    pub name: TextView,
}

/// An item's versions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    /// Item code.
    pub code: String,
    /// Versions, newest first.
    pub items: Vec<VersionSummaryView>,
}

/// Whether the caller may see a draft of an item: staff holding
/// `catalogue.edit` for the item's region and implementing body, checked by
/// the application's rule ([`onetrip_app::catalogue::may_see_draft`]).
pub fn may_see_draft(current: &CurrentSession, region: &str, department: &str) -> bool {
    let who = current.session.as_ref().map(|s| &s.principal);
    RegionCode::parse(region)
        .is_ok_and(|region| onetrip_app::catalogue::may_see_draft(who, &region, department))
}

fn visible(current: &CurrentSession, v: &ItemVersion) -> bool {
    v.status != ItemStatus::Draft
        || may_see_draft(current, v.body.region.as_str(), &v.body.implementing_body)
}

async fn parse_filter(state: &AppState, q: &ItemsQuery) -> Result<ItemFilter, ApiError> {
    let store = state.app.store.as_ref();
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
    let status = match non_blank(q.status.as_deref()) {
        None => None,
        Some(s) => Some(ItemStatus::parse(s).ok_or_else(|| {
            bad_param(
                "status",
                "unknown_status",
                "应为 draft / published / retired",
            )
        })?),
    };
    let department = match non_blank(q.department.as_deref()) {
        None => None,
        Some(d) => {
            let known = store.list_departments().await.map_err(app_err)?;
            if !known.iter().any(|k| k.code == d) {
                return Err(bad_param(
                    "department",
                    "unknown_department",
                    format!("未知部门 {d} / unknown department"),
                ));
            }
            Some(d.to_owned())
        }
    };
    let life_event = match non_blank(q.life_event.as_deref()) {
        None => None,
        Some(l) => {
            let known = store.list_life_events().await.map_err(app_err)?;
            if !known.iter().any(|k| k.code == l) {
                return Err(bad_param(
                    "life_event",
                    "unknown_life_event",
                    format!("未知主题 {l} / unknown life event"),
                ));
            }
            Some(l.to_owned())
        }
    };
    let region = match non_blank(q.region.as_deref()) {
        None => None,
        Some(r) => Some(known_region(state, r).await?.as_str().to_owned()),
    };
    Ok(ItemFilter {
        module,
        department,
        life_event,
        region,
        status,
    })
}

/// Lists catalogue items, one line per item, ordered by code.
#[utoipa::path(
    get,
    path = "/api/v1/items",
    tag = "catalogue",
    params(ItemsQuery),
    responses(
        (status = 200, description = "Matching items", body = ItemList),
        (status = 400, description = "An unknown filter value; the problem names the parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`status=draft` without a session", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentSession,
    ApiQuery(q): ApiQuery<ItemsQuery>,
) -> Result<Json<ItemList>, ApiError> {
    let filter = parse_filter(&state, &q).await?;
    let drafts = filter.status == Some(ItemStatus::Draft);
    if drafts && current.session.is_none() {
        return Err(ApiError::unauthenticated());
    }
    let items = state
        .app
        .store
        .list_items(&filter)
        .await
        .map_err(app_err)?
        .iter()
        .filter(|s| !drafts || may_see_draft(&current, &s.region, &s.implementing_body))
        .map(ItemSummaryView::from)
        .collect();
    Ok(Json(ItemList { items }))
}

/// The published version of an item with its full statutory elements.
#[utoipa::path(
    get,
    path = "/api/v1/items/{code}",
    tag = "catalogue",
    params(("code" = String, Path, description = "Item code, for example `420100-SCJGJ-XK-001`")),
    responses(
        (status = 200, description = "The published version", body = ItemVersionView),
        (status = 404, description = "No published version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<ItemVersionView>, ApiError> {
    match state
        .app
        .store
        .published_item(&code)
        .await
        .map_err(app_err)?
    {
        Some(v) => Ok(Json(v.into())),
        None => Err(ApiError::not_found(&format!("item {code}"))),
    }
}

/// Every version of an item, newest first (drafts only for those who may edit it).
#[utoipa::path(
    get,
    path = "/api/v1/items/{code}/versions",
    tag = "catalogue",
    params(("code" = String, Path, description = "Item code")),
    responses(
        (status = 200, description = "The history", body = VersionList),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn versions(
    State(state): State<AppState>,
    current: CurrentSession,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<VersionList>, ApiError> {
    let history = state.app.store.item_history(&code).await.map_err(app_err)?;
    let items: Vec<VersionSummaryView> = history
        .iter()
        .filter(|v| visible(&current, v))
        .map(|v| VersionSummaryView {
            id: v.id,
            version: v.version,
            status: v.status.as_str().to_owned(),
            effective_from: v.effective_from,
            published_at: v.published_at_micros,
            name: TextView::from(&v.body.name),
        })
        .collect();
    if items.is_empty() {
        return Err(ApiError::not_found(&format!("item {code}")));
    }
    Ok(Json(VersionList { code, items }))
}

/// One exact version of an item.
#[utoipa::path(
    get,
    path = "/api/v1/items/{code}/versions/{version}",
    tag = "catalogue",
    params(
        ("code" = String, Path, description = "Item code"),
        ("version" = i64, Path, description = "Version number"),
    ),
    responses(
        (status = 200, description = "The version", body = ItemVersionView),
        (status = 400, description = "The version is not a number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn version(
    State(state): State<AppState>,
    current: CurrentSession,
    ApiPath((code, version)): ApiPath<(String, i64)>,
) -> Result<Json<ItemVersionView>, ApiError> {
    match state
        .app
        .store
        .item_version(&code, version)
        .await
        .map_err(app_err)?
    {
        Some(v) if visible(&current, &v) => Ok(Json(v.into())),
        _ => Err(ApiError::not_found(&format!(
            "item {code} version {version}"
        ))),
    }
}
