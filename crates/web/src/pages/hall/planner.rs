//! `GET /admin/hall/planner?centre=&hall=&day=&target_minutes=20&target_share=0.9`
//! — the staffing planner (窗口排班): for each open hour of the day the
//! recorded arrivals and service time, the pooled (综窗) windows Erlang C
//! recommends for the target with its mean wait and service level, the
//! discrete-event simulation of the same hour (mean wait ± 95 % half-width
//! and whether Erlang C lies within it), the dedicated windows per category
//! and their mean wait, and the wait if the dedicated number of windows were
//! pooled; totals of window-hours; SVG charts of windows and waits per hour.
//! The default day is yesterday (the demo's recorded day).
//!
//! Rules: anonymous visitors are sent to sign in; the app requires
//! `supervision.view` for the centre (others 403); bad parameters are a 400
//! page naming the field.

use askama::Template;
use axum::extract::{Query, State};
use onetrip_app::hall::planner::PlanTarget;
use serde::Deserialize;

use super::stats::{hall_of, split_hall};
use super::{Chart, bad_query, f1, parse_day, pct, place};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::admin::Opt;
use crate::state::AppState;

/// Which hall, day and target.
#[derive(Debug, Default, Deserialize)]
pub struct PlanQuery {
    /// Centre code (or `centre/hall` from the select).
    pub centre: Option<String>,
    /// Hall code.
    pub hall: Option<String>,
    /// The recorded day.
    pub day: Option<String>,
    /// Target wait, minutes.
    pub target_minutes: Option<String>,
    /// Share within the target.
    pub target_share: Option<String>,
}

struct HourRow {
    hour: String,
    arrivals: usize,
    rate: String,
    service: String,
    windows: String,
    erlang_wait: String,
    service_level: String,
    sim_wait: String,
    agrees: bool,
    dedicated: String,
    dedicated_windows: u32,
    dedicated_wait: String,
    pooled_same: String,
}

#[derive(Template)]
#[template(path = "hall/planner.html")]
struct PlanPage {
    page: PageCtx,
    hall_name: String,
    halls: Vec<Opt>,
    day: String,
    target_minutes: String,
    target_share: String,
    rows: Vec<HourRow>,
    pooled_hours: u32,
    dedicated_hours: u32,
    saved_hours: i64,
    agree_count: usize,
    charts: Vec<Chart>,
    stats: String,
}

/// Shows the plan.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<PlanQuery>,
) -> PageResult {
    let who = page.require_principal()?.clone();
    let (centre, hall) = split_hall(q.centre, q.hall);
    let (key, halls) = hall_of(&state, &page, centre.as_deref(), hall.as_deref()).await?;
    let today = state.app.today();
    let day = match q.day.as_deref().map(str::trim) {
        None | Some("") => today.previous_day().unwrap_or(today),
        Some(s) => parse_day(s).ok_or_else(|| bad_query(&page, "day", page.t("hall.err.day")))?,
    };
    let mut target = PlanTarget::default();
    if let Some(s) = q
        .target_minutes
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        target.target_minutes = s
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0 && *v <= 240.0)
            .ok_or_else(|| bad_query(&page, "target_minutes", page.t("hall.err.target_minutes")))?;
    }
    if let Some(s) = q
        .target_share
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        target.target_share = s
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0 && *v < 1.0)
            .ok_or_else(|| bad_query(&page, "target_share", page.t("hall.err.target_share")))?;
    }
    let place = place(&state, &page, &key).await?;
    let day = day.to_string();
    let plan = state
        .app
        .staffing_plan(&who, &key, &day, target)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let rows: Vec<HourRow> = plan
        .hours
        .iter()
        .map(|h| HourRow {
            hour: format!("{:02}:00", h.hour),
            arrivals: h.arrivals,
            rate: f1(h.demand.arrivals_per_hour),
            service: f1(h.demand.mean_service_minutes),
            windows: h
                .pooled
                .map_or_else(|| "—".to_owned(), |p| p.windows.to_string()),
            erlang_wait: h
                .pooled
                .map_or_else(|| "—".to_owned(), |p| f1(p.mean_wait_minutes)),
            service_level: h
                .pooled
                .map_or_else(|| "—".to_owned(), |p| pct(p.service_level)),
            sim_wait: h.simulation.map_or_else(
                || "—".to_owned(),
                |s| format!("{} ± {}", f1(s.mean_wait_minutes), f1(s.half_width_minutes)),
            ),
            agrees: h.agrees,
            dedicated: h
                .dedicated
                .iter()
                .map(|c| format!("{}:{}", c.category, c.windows))
                .collect::<Vec<_>>()
                .join(" "),
            dedicated_windows: h.dedicated_windows,
            dedicated_wait: f1(h.dedicated_wait_minutes),
            pooled_same: h
                .pooled_wait_same_windows
                .map_or_else(|| "—".to_owned(), f1),
        })
        .collect();
    let hours: Vec<String> = plan
        .hours
        .iter()
        .map(|h| format!("{:02}", h.hour))
        .collect();
    let nan = f64::NAN;
    let charts = vec![
        Chart::bars(
            "chart-windows",
            page.t("hall.plan.chart_windows"),
            &hours,
            &[
                (
                    page.t("hall.plan.pooled").to_owned(),
                    plan.hours
                        .iter()
                        .map(|h| h.pooled.map_or(nan, |p| f64::from(p.windows)))
                        .collect(),
                ),
                (
                    page.t("hall.plan.dedicated").to_owned(),
                    plan.hours
                        .iter()
                        .map(|h| f64::from(h.dedicated_windows))
                        .collect(),
                ),
            ],
            "",
        ),
        Chart::bars(
            "chart-plan-wait",
            page.t("hall.plan.chart_wait"),
            &hours,
            &[
                (
                    page.t("hall.plan.dedicated").to_owned(),
                    plan.hours
                        .iter()
                        .map(|h| h.dedicated_wait_minutes)
                        .collect(),
                ),
                (
                    page.t("hall.plan.pooled_same").to_owned(),
                    plan.hours
                        .iter()
                        .map(|h| h.pooled_wait_same_windows.unwrap_or(nan))
                        .collect(),
                ),
            ],
            page.t("hall.min_short"),
        ),
    ];
    Ok(render(&PlanPage {
        hall_name: format!(
            "{} {}",
            page.lang.pick(&place.centre.name),
            page.lang.pick(&place.hall.name)
        ),
        halls,
        stats: format!(
            "/admin/hall/stats?centre={}&hall={}&from={day}&to={day}",
            key.centre, key.hall
        ),
        day,
        target_minutes: format!("{}", plan.target.target_minutes),
        target_share: format!("{}", plan.target.target_share),
        agree_count: rows.iter().filter(|r| r.agrees).count(),
        rows,
        pooled_hours: plan.pooled_window_hours,
        dedicated_hours: plan.dedicated_window_hours,
        saved_hours: i64::from(plan.dedicated_window_hours) - i64::from(plan.pooled_window_hours),
        charts,
        page,
    }))
}
