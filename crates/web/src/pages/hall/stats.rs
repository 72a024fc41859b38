//! `GET /admin/hall/stats?centre=&hall=&from=&to=` — queue statistics of a
//! hall: per category, window, staff member and hour the tickets, served,
//! abandoned and abandonment rate, wait p50/p90/mean, mean service and the
//! share called within the target wait; and server-rendered SVG charts of
//! tickets and mean wait per hour. The default range is yesterday to today;
//! the same figures download as CSV from `/api/v1/halls/{centre}/{hall}/stats.csv`.
//!
//! Rules: anonymous visitors are sent to sign in; the app allows staff with
//! `supervision.view` or `queue.operate` for the centre (others 403); bad
//! parameters are a 400 page naming the field.

use askama::Template;
use axum::extract::{Query, State};
use onetrip_app::hall::stats::GroupStats;
use onetrip_store::HallKey;
use serde::Deserialize;

use super::{Chart, bad_query, categories, category_name, f1, parse_day, pct, place};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::admin::Opt;
use crate::state::AppState;

/// Which hall and days.
#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    /// Centre code.
    pub centre: Option<String>,
    /// Hall code.
    pub hall: Option<String>,
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
}

/// One table row.
#[derive(Debug)]
pub struct StatRow {
    /// Group label.
    pub label: String,
    /// Tickets.
    pub tickets: usize,
    /// Served.
    pub served: usize,
    /// Abandoned.
    pub abandoned: usize,
    /// Abandonment rate.
    pub abandonment: String,
    /// Wait median.
    pub p50: String,
    /// Wait p90.
    pub p90: String,
    /// Wait mean.
    pub mean: String,
    /// Mean service.
    pub service: String,
    /// Within target.
    pub within: String,
}

fn stat_row(label: String, g: &GroupStats) -> StatRow {
    StatRow {
        label,
        tickets: g.tickets,
        served: g.served,
        abandoned: g.abandoned,
        abandonment: pct(g.abandonment_rate),
        p50: f1(g.wait.p50),
        p90: f1(g.wait.p90),
        mean: f1(g.wait.mean),
        service: f1(g.service.mean),
        within: pct(g.within_target),
    }
}

/// A table of the page.
#[derive(Debug)]
pub struct StatTable {
    /// HTML id.
    pub id: &'static str,
    /// Caption.
    pub title: &'static str,
    /// What the first column is.
    pub key_label: &'static str,
    /// Rows.
    pub rows: Vec<StatRow>,
}

#[derive(Template)]
#[template(path = "hall/stats.html")]
struct StatsPage {
    page: PageCtx,
    hall_name: String,
    halls: Vec<Opt>,
    from: String,
    to: String,
    target: i64,
    total: StatRow,
    tables: Vec<StatTable>,
    charts: Vec<Chart>,
    csv: String,
    planner: String,
}

/// The hall of the query, or the first hall with a queue.
pub async fn hall_of(
    state: &AppState,
    page: &PageCtx,
    centre: Option<&str>,
    hall: Option<&str>,
) -> Result<(HallKey, Vec<Opt>), PageError> {
    let halls = state
        .app
        .queue_halls()
        .await
        .map_err(|e| PageError::from_app(page, e))?;
    let key = match (centre.map(str::trim), hall.map(str::trim)) {
        (Some(c), Some(h)) if !c.is_empty() && !h.is_empty() => HallKey::new(c, h),
        (Some(c), _) if !c.is_empty() => {
            return Err(bad_query(page, "hall", page.t("hall.err.hall")));
        }
        _ => halls
            .first()
            .map(onetrip_app::hall::HallPlace::key)
            .ok_or_else(|| PageError::not_found(page))?,
    };
    let opts = halls
        .iter()
        .map(|p| {
            let k = p.key();
            Opt::new(
                format!("{}/{}", k.centre, k.hall),
                format!(
                    "{} {}",
                    page.lang.pick(&p.centre.name),
                    page.lang.pick(&p.hall.name)
                ),
                k == key,
            )
        })
        .collect();
    Ok((key, opts))
}

/// Splits a `centre/hall` choice from the hall select into the two parameters.
pub fn split_hall(
    q_centre: Option<String>,
    q_hall: Option<String>,
) -> (Option<String>, Option<String>) {
    match (&q_centre, &q_hall) {
        (Some(c), None) if c.contains('/') => {
            let (a, b) = c.split_once('/').unwrap_or_default();
            (Some(a.to_owned()), Some(b.to_owned()))
        }
        _ => (q_centre, q_hall),
    }
}

/// Shows the statistics.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<StatsQuery>,
) -> PageResult {
    let who = page.require_principal()?.clone();
    let (centre, hall) = split_hall(q.centre, q.hall);
    let (key, halls) = hall_of(&state, &page, centre.as_deref(), hall.as_deref()).await?;
    let today = state.app.today();
    let yesterday = today.previous_day().unwrap_or(today);
    let day = |name: &str, v: Option<&str>, default: time::Date| match v.map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => parse_day(s).ok_or_else(|| bad_query(&page, name, page.t("hall.err.day"))),
    };
    let from = day("from", q.from.as_deref(), yesterday)?;
    let to = day("to", q.to.as_deref(), today)?;
    if to < from {
        return Err(bad_query(&page, "to", page.t("hall.err.range")));
    }
    if (to - from).whole_days() > 366 {
        return Err(bad_query(&page, "to", page.t("hall.err.range_long")));
    }
    let place = place(&state, &page, &key).await?;
    let (from, to) = (from.to_string(), to.to_string());
    let target = 20;
    let stats = state
        .app
        .hall_stats(&who, &key, &from, &to, target)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let cats = categories(&state, &page, &key).await?;
    let mut staff_rows = Vec::new();
    for g in &stats.by_staff {
        let name = match g.key.parse::<i64>() {
            Ok(id) => match state.app.store.staff_by_id(id).await {
                Ok(Some(s)) => s.display_name,
                _ => format!("#{id}"),
            },
            Err(_) => g.key.clone(),
        };
        staff_rows.push(stat_row(name, g));
    }
    let window = page.t("hall.window_suffix");
    let tables = vec![
        StatTable {
            id: "by-category",
            title: page.t("hall.stats.by_category"),
            key_label: page.t("hall.category"),
            rows: stats
                .by_category
                .iter()
                .map(|g| {
                    stat_row(
                        format!("{} {}", g.key, category_name(page.lang, &cats, &g.key)),
                        g,
                    )
                })
                .collect(),
        },
        StatTable {
            id: "by-window",
            title: page.t("hall.stats.by_window"),
            key_label: page.t("hall.window"),
            rows: stats
                .by_counter
                .iter()
                .map(|g| {
                    let n = g.key.trim_start_matches('0');
                    stat_row(
                        format!("{} {window}", if n.is_empty() { "0" } else { n }),
                        g,
                    )
                })
                .collect(),
        },
        StatTable {
            id: "by-staff",
            title: page.t("hall.stats.by_staff"),
            key_label: page.t("hall.stats.staff"),
            rows: staff_rows,
        },
        StatTable {
            id: "by-hour",
            title: page.t("hall.stats.by_hour"),
            key_label: page.t("hall.hour"),
            rows: stats
                .by_hour
                .iter()
                .map(|g| stat_row(format!("{}:00", g.key), g))
                .collect(),
        },
    ];
    let hours: Vec<String> = stats
        .by_hour
        .iter()
        .map(|g| format!("{}:00", g.key))
        .collect();
    let charts = vec![
        Chart::bars(
            "chart-tickets",
            page.t("hall.stats.chart_tickets"),
            &hours,
            &[(
                page.t("hall.stats.tickets").to_owned(),
                stats.by_hour.iter().map(|g| g.tickets as f64).collect(),
            )],
            "",
        ),
        Chart::bars(
            "chart-wait",
            page.t("hall.stats.chart_wait"),
            &hours,
            &[(
                page.t("hall.stats.wait_mean").to_owned(),
                stats.by_hour.iter().map(|g| g.wait.mean).collect(),
            )],
            page.t("hall.min_short"),
        ),
    ];
    Ok(render(&StatsPage {
        hall_name: format!(
            "{} {}",
            page.lang.pick(&place.centre.name),
            page.lang.pick(&place.hall.name)
        ),
        halls,
        csv: format!(
            "/api/v1/halls/{}/{}/stats.csv?from={from}&to={to}",
            key.centre, key.hall
        ),
        planner: format!(
            "/admin/hall/planner?centre={}&hall={}&day={from}",
            key.centre, key.hall
        ),
        total: stat_row(page.t("hall.stats.all").to_owned(), &stats.total),
        from,
        to,
        target,
        tables,
        charts,
        page,
    }))
}
