//! The item editor: `GET /admin/catalogue/new` (a blank form),
//! `GET /admin/catalogue/{code}/edit` (prefilled from the open draft, else
//! the published version), `POST /admin/catalogue/new` and
//! `POST /admin/catalogue/{code}/draft` (save a draft through
//! `App::save_item_draft`, which authorises `catalogue.edit` for the item's
//! region and implementing body and validates every element).
//!
//! Invalid input re-renders the form with status 422, the user's input
//! kept, and an error summary whose links lead to the inputs. A new item may
//! not take a code that already exists (that would silently edit another
//! item). The edit page also lists every version with a link to its guide,
//! and offers publishing the draft and retiring the published version to
//! those who hold `catalogue.publish` somewhere (the app decides per item).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_domain::FieldError;
use onetrip_domain::access::Permission;
use onetrip_domain::catalogue::{
    Audience, DeliveryChannel, LifeEvent, MaterialForm, MaterialSource, Module, OnlineDepth,
    PowerCategory, ResultKind, SpecialProcedure,
};
use onetrip_domain::region::{Department, Region};
use onetrip_store::ItemVersion;
use time::Date;

use super::item_form::{FeeRow, ItemForm, LEVELS, MaterialRow, Row, SituationRow};
use super::{
    Admin, AdminNav, NoticeQuery, Opt, Section, check_csrf, enum_opts, error_for, notice,
    parse_pairs, see_other, store_error,
};
use crate::i18n::Lang;
use crate::page::{PageCtx, PageError, PageResult, field_id, render, render_status};
use crate::pages::account::beijing_time;
use crate::state::AppState;

/// One version in the history list.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// Version number.
    pub version: i64,
    /// Status label.
    pub status: &'static str,
    /// Effective date.
    pub effective_from: String,
    /// Publication time, if published.
    pub published_at: String,
    /// The guide of this version.
    pub href: String,
}

/// Codes the form's selects offer, read once per request.
#[derive(Debug, Clone, Default)]
struct Refs {
    regions: Vec<Region>,
    departments: Vec<Department>,
    life_events: Vec<LifeEvent>,
}

#[derive(Template)]
#[template(path = "admin/item_edit.html")]
struct ItemEditPage {
    page: PageCtx,
    nav: AdminNav,
    notice: Option<&'static str>,
    is_new: bool,
    action: String,
    form: ItemForm,
    errors: Vec<FieldError>,
    power_categories: Vec<Opt>,
    modules: Vec<Opt>,
    audiences: Vec<Opt>,
    levels: Vec<Opt>,
    regions: Vec<Opt>,
    competent_departments: Vec<Opt>,
    implementing_bodies: Vec<Opt>,
    special_procedures: Vec<Opt>,
    trips: Vec<Opt>,
    online_depths: Vec<Opt>,
    delivery_channels: Vec<Opt>,
    result_kinds: Vec<Opt>,
    life_events: Vec<Opt>,
    history: Vec<HistoryRow>,
    draft_version: Option<i64>,
    published_version: Option<i64>,
    can_publish: bool,
}

impl ItemEditPage {
    /// The message of the error on `path`, if any.
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    /// The HTML id of the input for `path`.
    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        field_id(path.as_ref())
    }

    /// Options of a material's form select.
    fn material_forms(&self, row: &MaterialRow) -> Vec<Opt> {
        enum_opts(
            MaterialForm::ALL,
            MaterialForm::as_str,
            MaterialForm::label,
            self.page.lang.code(),
            std::slice::from_ref(&row.form),
        )
    }

    /// Options of a material's source select.
    fn material_sources(&self, row: &MaterialRow) -> Vec<Opt> {
        enum_opts(
            MaterialSource::ALL,
            MaterialSource::as_str,
            MaterialSource::label,
            self.page.lang.code(),
            std::slice::from_ref(&row.source),
        )
    }

    fn materials(&self) -> &[MaterialRow] {
        &self.form.materials
    }

    fn situations(&self) -> &[SituationRow] {
        &self.form.situations
    }

    fn fees(&self) -> &[FeeRow] {
        &self.form.fees
    }
}

fn one(value: &str) -> Vec<String> {
    vec![value.to_owned()]
}

/// Today in Beijing, from the app's clock.
fn today(state: &AppState) -> Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(state.app.now()) * 1000)
        .map(|t| t.to_offset(offset).date())
        .unwrap_or(Date::MIN)
}

async fn refs(state: &AppState, page: &PageCtx) -> Result<Refs, PageError> {
    let store = state.app.store.as_ref();
    let fail = store_error(page);
    Ok(Refs {
        regions: store.list_regions().await.map_err(&fail)?,
        departments: store.list_departments().await.map_err(&fail)?,
        life_events: store.list_life_events().await.map_err(&fail)?,
    })
}

fn history_rows(lang: Lang, code: &str, versions: &[ItemVersion]) -> Vec<HistoryRow> {
    versions
        .iter()
        .map(|v| HistoryRow {
            version: v.version,
            status: v.status.label(lang.code()),
            effective_from: v.effective_from.to_string(),
            published_at: v.published_at_micros.map(beijing_time).unwrap_or_default(),
            href: format!("/items/{code}?version={}", v.version),
        })
        .collect()
}

/// What the page shows besides the form.
struct Context {
    is_new: bool,
    history: Vec<ItemVersion>,
    notice: Option<&'static str>,
}

fn build(
    page: PageCtx,
    admin: &Admin,
    refs: &Refs,
    form: ItemForm,
    errors: Vec<FieldError>,
    ctx: Context,
) -> ItemEditPage {
    let lang = page.lang;
    let l = lang.code();
    let dept_opts = |current: &str| -> Vec<Opt> {
        let mut opts = vec![Opt::new("", page.t("admin.choose"), current.is_empty())];
        opts.extend(refs.departments.iter().map(|d| {
            Opt::new(
                d.code.clone(),
                format!("{}（{}）", lang.pick(&d.name), d.code),
                d.code == current,
            )
        }));
        opts
    };
    let mut regions = vec![Opt::new("", page.t("admin.choose"), form.region.is_empty())];
    regions.extend(refs.regions.iter().map(|r| {
        Opt::new(
            r.code.as_str(),
            format!("{}（{}）", lang.pick(&r.name), r.code),
            r.code.as_str() == form.region,
        )
    }));
    let trips = [
        ("0", lang.t("item.trips_zero")),
        ("1", lang.t("item.trips_one")),
        ("2", lang.t("item.trips_more")),
    ]
    .iter()
    .map(|(v, label)| Opt::new(*v, *label, form.on_site_trips.trim() == *v))
    .collect();
    let code = form.code.clone();
    let draft_version = ctx
        .history
        .iter()
        .find(|v| v.status == onetrip_domain::catalogue::ItemStatus::Draft)
        .map(|v| v.version);
    let published_version = ctx
        .history
        .iter()
        .find(|v| v.status == onetrip_domain::catalogue::ItemStatus::Published)
        .map(|v| v.version);
    ItemEditPage {
        nav: admin.nav(&page, Section::Catalogue),
        notice: ctx.notice,
        is_new: ctx.is_new,
        action: if ctx.is_new {
            "/admin/catalogue/new".to_owned()
        } else {
            format!("/admin/catalogue/{code}/draft")
        },
        power_categories: enum_opts(
            PowerCategory::ALL,
            PowerCategory::as_str,
            PowerCategory::label,
            l,
            &one(&form.power_category),
        ),
        modules: enum_opts(
            Module::ALL,
            Module::as_str,
            Module::label,
            l,
            &one(&form.module),
        ),
        audiences: enum_opts(
            Audience::ALL,
            Audience::as_str,
            Audience::label,
            l,
            &one(&form.audience),
        ),
        levels: LEVELS
            .iter()
            .map(|v| Opt::new(v.as_str(), v.label(l), v.as_str() == form.level))
            .collect(),
        regions,
        competent_departments: dept_opts(&form.competent_department),
        implementing_bodies: dept_opts(&form.implementing_body),
        special_procedures: enum_opts(
            SpecialProcedure::ALL,
            SpecialProcedure::as_str,
            SpecialProcedure::label,
            l,
            &form.special_procedures,
        ),
        trips,
        online_depths: enum_opts(
            OnlineDepth::ALL,
            OnlineDepth::as_str,
            OnlineDepth::label,
            l,
            &one(&form.online_depth),
        ),
        delivery_channels: enum_opts(
            DeliveryChannel::ALL,
            DeliveryChannel::as_str,
            DeliveryChannel::label,
            l,
            &form.delivery_channels,
        ),
        result_kinds: enum_opts(
            ResultKind::ALL,
            ResultKind::as_str,
            ResultKind::label,
            l,
            &one(&form.result_kind),
        ),
        life_events: refs
            .life_events
            .iter()
            .map(|e| {
                Opt::new(
                    e.code.clone(),
                    lang.pick(&e.name),
                    form.life_events.iter().any(|c| c == &e.code),
                )
            })
            .collect(),
        history: history_rows(lang, &code, &ctx.history),
        draft_version,
        published_version,
        can_publish: admin.can(Permission::CataloguePublish),
        form,
        errors,
        page,
    }
}

/// `GET /admin/catalogue/new`: a blank form.
pub async fn new(State(state): State<AppState>, page: PageCtx) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Catalogue)?;
    let refs = refs(&state, &page).await?;
    let form = ItemForm::blank(today(&state));
    let ctx = Context {
        is_new: true,
        history: Vec::new(),
        notice: None,
    };
    Ok(render(&build(page, &admin, &refs, form, Vec::new(), ctx)))
}

/// `GET /admin/catalogue/{code}/edit`: the open draft, else the published
/// version (else the newest version) in the form.
pub async fn edit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Catalogue)?;
    let store = state.app.store.as_ref();
    let history = store
        .item_history(&code)
        .await
        .map_err(store_error(&page))?;
    let draft = history
        .iter()
        .find(|v| v.status == onetrip_domain::catalogue::ItemStatus::Draft);
    let published = history
        .iter()
        .find(|v| v.status == onetrip_domain::catalogue::ItemStatus::Published);
    let form = match (draft, published, history.first()) {
        (Some(d), _, _) => ItemForm::from_body(&d.body, d.effective_from),
        (None, Some(p), _) => ItemForm::from_body(&p.body, today(&state).max(p.effective_from)),
        (None, None, Some(newest)) => ItemForm::from_body(&newest.body, today(&state)),
        (None, None, None) => return Err(PageError::not_found(&page)),
    };
    let refs = refs(&state, &page).await?;
    let ctx = Context {
        is_new: false,
        notice: notice(&page, q.notice.as_deref()),
        history,
    };
    Ok(render(&build(page, &admin, &refs, form, Vec::new(), ctx)))
}

/// `POST /admin/catalogue/new`: saves the first draft of a new item.
pub async fn create(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    save(state, page, None, body).await
}

/// `POST /admin/catalogue/{code}/draft`: saves the item's draft.
pub async fn save_draft(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    body: Bytes,
) -> PageResult {
    save(state, page, Some(code), body).await
}

async fn save(state: AppState, page: PageCtx, code: Option<String>, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Catalogue)?;
    let store = state.app.store.as_ref();
    let (mut form, mut errors) = ItemForm::from_pairs(&pairs);
    let is_new = code.is_none();
    if let Some(code) = code {
        form.code = code;
    }
    let history = store
        .item_history(form.code.trim())
        .await
        .map_err(store_error(&page))?;
    if is_new && !history.is_empty() {
        errors.push(FieldError::new("code", "taken", page.t("admin.code_taken")));
    } else if !is_new && history.is_empty() {
        return Err(PageError::not_found(&page));
    }
    if errors.is_empty() {
        match form.to_body() {
            Err(e) => errors = e.errors,
            Ok(assembled) => {
                match state
                    .app
                    .save_item_draft(&admin.principal, &assembled.body, assembled.effective_from)
                    .await
                {
                    Ok(_) => {
                        return Ok(see_other(&format!(
                            "/admin/catalogue/{}/edit?notice=saved",
                            assembled.body.code
                        )));
                    }
                    Err(AppError::Invalid(v)) => errors = assembled.rows.remap(v.errors),
                    Err(other) => return Err(PageError::from_app(&page, other)),
                }
            }
        }
    } else if let Err(e) = form.to_body() {
        // Report everything else too, without the duplicates.
        for more in e.errors {
            if !errors.iter().any(|x| x.field == more.field) {
                errors.push(more);
            }
        }
    }
    let refs = refs(&state, &page).await?;
    let ctx = Context {
        is_new,
        history: if is_new { Vec::new() } else { history },
        notice: None,
    };
    let view = build(page, &admin, &refs, form.with_blank_rows(), errors, ctx);
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &view))
}

/// Today in Beijing as `YYYY-MM-DD`.
pub fn today_string(state: &AppState) -> String {
    today(state).to_string()
}
