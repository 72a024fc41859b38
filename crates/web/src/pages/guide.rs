//! `GET /items/{code}` — the service guide (办事指南) of one published item,
//! with every national element; `GET /items/{code}/print` is the same guide
//! laid out for printing. `?version=N` shows an exact earlier version, so a
//! case can always be read against the guide it was filed under.

use askama::Template;
use axum::extract::{Path, Query, State};
use onetrip_domain::catalogue::{MaterialSource, ServiceItemBody};
use onetrip_domain::region::Department;
use onetrip_store::ItemVersion;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct GuideQuery {
    /// An exact version instead of the published one.
    pub version: Option<i64>,
}

/// One material row.
#[derive(Debug, Clone)]
pub struct MaterialRow {
    /// Name.
    pub name: String,
    /// Paper / electronic.
    pub form: String,
    /// Originals / copies.
    pub counts: String,
    /// Required or the condition.
    pub required: String,
    /// Source label.
    pub source: String,
    /// True when the applicant need not bring it (shared data or e-certificate).
    pub shared: bool,
    /// Blank form.
    pub blank_form: Option<String>,
    /// Sample.
    pub sample: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// A situation with the names of its materials.
#[derive(Debug, Clone)]
pub struct SituationRow {
    /// Name.
    pub name: String,
    /// Material names.
    pub materials: Vec<String>,
}

/// One fee line.
#[derive(Debug, Clone)]
pub struct FeeRow {
    /// Name.
    pub name: String,
    /// Amount like `120.00`.
    pub amount: String,
    /// Basis.
    pub basis: String,
}

/// Everything the guide shows, resolved into the page language.
#[derive(Debug, Clone)]
pub struct GuideView {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Name in the other language.
    pub other_name: String,
    /// Version number.
    pub version: i64,
    /// Status label.
    pub status: String,
    /// Effective date.
    pub effective_from: String,
    /// Element list `(label, value)`.
    pub facts: Vec<(String, String)>,
    /// Legal basis lines.
    pub legal_basis: Vec<String>,
    /// Conditions.
    pub conditions: Vec<String>,
    /// Situations.
    pub situations: Vec<SituationRow>,
    /// Materials.
    pub materials: Vec<MaterialRow>,
    /// Fees (empty: free).
    pub fees: Vec<FeeRow>,
    /// Keywords.
    pub keywords: Vec<String>,
}

fn days(lang: Lang, n: u32) -> String {
    if n == 0 {
        lang.t("item.immediate").to_owned()
    } else {
        format!("{n} {}", lang.t("item.working_days"))
    }
}

fn department_name(departments: &[Department], lang: Lang, code: &str) -> String {
    departments
        .iter()
        .find(|d| d.code == code)
        .map(|d| lang.pick(&d.name).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// Builds the view of one version.
pub fn build_view(departments: &[Department], lang: Lang, v: &ItemVersion) -> GuideView {
    let b: &ServiceItemBody = &v.body;
    let l = lang.code();
    let join = |parts: Vec<&str>| parts.join("、");
    let trips = match b.on_site_trips {
        0 => lang.t("item.trips_zero"),
        1 => lang.t("item.trips_one"),
        _ => lang.t("item.trips_more"),
    };
    let special = if b.special_procedures.is_empty() {
        lang.t("item.none").to_owned()
    } else {
        join(b.special_procedures.iter().map(|p| p.label(l)).collect())
    };
    let facts = vec![
        (lang.t("item.code").to_owned(), b.code.clone()),
        (
            lang.t("item.power_category").to_owned(),
            b.power_category.label(l).to_owned(),
        ),
        (
            lang.t("item.module").to_owned(),
            b.module.label(l).to_owned(),
        ),
        (
            lang.t("item.competent_department").to_owned(),
            department_name(departments, lang, &b.competent_department),
        ),
        (
            lang.t("item.implementing_body").to_owned(),
            department_name(departments, lang, &b.implementing_body),
        ),
        (lang.t("item.level").to_owned(), b.level.label(l).to_owned()),
        (
            lang.t("item.region").to_owned(),
            b.region.as_str().to_owned(),
        ),
        (
            lang.t("item.audience").to_owned(),
            b.audience.label(l).to_owned(),
        ),
        (
            lang.t("item.statutory_limit").to_owned(),
            days(lang, b.statutory_limit_days),
        ),
        (
            lang.t("item.promised_limit").to_owned(),
            days(lang, b.promised_limit_days),
        ),
        (lang.t("item.special_procedures").to_owned(), special),
        (lang.t("item.trips").to_owned(), trips.to_owned()),
        (
            lang.t("item.online_depth").to_owned(),
            b.online_depth.label(l).to_owned(),
        ),
        (
            lang.t("item.delivery").to_owned(),
            join(b.delivery_channels.iter().map(|c| c.label(l)).collect()),
        ),
        (
            lang.t("item.result").to_owned(),
            format!(
                "{}（{}）",
                lang.pick(&b.result.name),
                b.result.kind.label(l)
            ),
        ),
        (lang.t("item.place").to_owned(), b.place.clone()),
        (lang.t("item.hours").to_owned(), b.hours.clone()),
        (
            lang.t("item.consultation").to_owned(),
            b.consultation_phone.clone(),
        ),
        (
            lang.t("item.complaint").to_owned(),
            b.complaint_phone.clone(),
        ),
    ];
    let materials = b
        .materials
        .iter()
        .map(|m| MaterialRow {
            name: lang.pick(&m.name).to_owned(),
            form: m.form.label(l).to_owned(),
            counts: format!("{} / {}", m.originals, m.copies),
            required: if m.required {
                lang.t("item.required_yes").to_owned()
            } else {
                format!(
                    "{}：{}",
                    lang.t("item.required_conditional"),
                    m.condition.clone().unwrap_or_default()
                )
            },
            source: m.source.label(l).to_owned(),
            shared: matches!(
                m.source,
                MaterialSource::SharedData | MaterialSource::ECertificate
            ),
            blank_form: m.blank_form.clone(),
            sample: m.sample.clone(),
            notes: m.notes.clone(),
        })
        .collect();
    let situations = b
        .situations
        .iter()
        .map(|s| SituationRow {
            name: lang.pick(&s.name).to_owned(),
            materials: b
                .materials_for(&s.code)
                .iter()
                .map(|m| lang.pick(&m.name).to_owned())
                .collect(),
        })
        .collect();
    let fees = b
        .fees
        .iter()
        .map(|f| FeeRow {
            name: lang.pick(&f.name).to_owned(),
            amount: format!("{}.{:02}", f.amount_fen / 100, f.amount_fen % 100),
            basis: f.basis.clone(),
        })
        .collect();
    GuideView {
        code: b.code.clone(),
        name: lang.pick(&b.name).to_owned(),
        other_name: lang.other().pick(&b.name).to_owned(),
        version: v.version,
        status: v.status.label(l).to_owned(),
        effective_from: v.effective_from.to_string(),
        facts,
        legal_basis: b.legal_basis.clone(),
        conditions: b.conditions.clone(),
        situations,
        materials,
        fees,
        keywords: b.keywords.clone(),
    }
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    page: PageCtx,
    item: GuideView,
    print: bool,
}

async fn load(
    state: &AppState,
    page: &PageCtx,
    code: &str,
    version: Option<i64>,
) -> Result<GuideView, PageError> {
    let store = state.app.store.as_ref();
    let found = match version {
        // Drafts are shown only to staff who may edit the item.
        Some(v) => state.app.item_version_for(page.principal(), code, v).await,
        None => store.published_item(code).await.map_err(Into::into),
    };
    let v = match found {
        Ok(Some(v)) => v,
        Ok(None) => return Err(PageError::not_found(page)),
        Err(e) => return Err(PageError::from_app(page, e)),
    };
    let departments = store
        .list_departments()
        .await
        .map_err(|e| PageError::from_app(page, e.into()))?;
    let mut view = build_view(&departments, page.lang, &v);
    let stats = store
        .trip_stats()
        .await
        .map_err(|e| PageError::from_app(page, e.into()))?;
    view.facts.push((
        page.lang.t("item.trip_record").to_owned(),
        trip_record(page.lang, stats.iter().find(|t| t.item_code == v.body.code)),
    ));
    Ok(view)
}

/// Whether the item keeps its promised number of on-site trips: of its
/// completed cases, how many needed no more visits than promised.
fn trip_record(lang: Lang, stat: Option<&onetrip_store::TripStat>) -> String {
    match stat {
        Some(t) if t.completed > 0 => lang
            .t("item.trip_record_value")
            .replace("{completed}", &t.completed.to_string())
            .replace("{within}", &t.within_promise.to_string())
            .replace(
                "{rate}",
                &format!(
                    "{:.0}",
                    t.within_promise as f64 * 100.0 / t.completed as f64
                ),
            ),
        _ => lang.t("item.trip_record_none").to_owned(),
    }
}

/// The guide.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    Query(q): Query<GuideQuery>,
) -> PageResult {
    let item = load(&state, &page, &code, q.version).await?;
    Ok(render(&GuidePage {
        page,
        item,
        print: false,
    }))
}

/// The print layout of the guide.
pub async fn print(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    Query(q): Query<GuideQuery>,
) -> PageResult {
    let item = load(&state, &page, &code, q.version).await?;
    Ok(render(&GuidePage {
        page,
        item,
        print: true,
    }))
}
