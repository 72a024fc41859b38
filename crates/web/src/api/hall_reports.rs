//! Hall statistics, their CSV export, the staffing plan and the live feed
//! (JSON catch-up and server-sent events for the display board).
//!
//! Rules: statistics need `supervision.view` or `queue.operate` for the
//! centre, the plan `supervision.view`; the feed is public (it carries
//! ticket numbers, window numbers and counts, never personal data). The SSE
//! stream resumes after the `Last-Event-ID` the browser sends on reconnect
//! (or `?after=`), reading missed events from the event table, so a board
//! loses no call across a server restart.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use onetrip_app::hall::planner::{DayPlan, PlanTarget};
use onetrip_app::hall::stats::{GroupStats, HallStats};
use onetrip_store::HallEventRecord;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::auth::Caller;
use crate::api::bad_param;
use crate::api::hall::HallPath;
use crate::api::hall_appointments::day_param;
use crate::problem::{ApiError, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

/// Statistics range.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// First day (YYYY-MM-DD), default yesterday.
    pub from: Option<String>,
    /// Last day, default today.
    pub to: Option<String>,
    /// Wait counted as within target, minutes (default 20).
    pub target_minutes: Option<i64>,
}

async fn stats_of(
    state: &AppState,
    caller: &Caller,
    path: &HallPath,
    q: &StatsQuery,
) -> Result<HallStats, ApiError> {
    let today = state.app.today();
    let from = day_param("from", q.from.as_deref())?
        .unwrap_or_else(|| today.saturating_sub(time::Duration::days(1)));
    let to = day_param("to", q.to.as_deref())?.unwrap_or(today);
    if to < from {
        return Err(bad_param(
            "to",
            "invalid_range",
            "结束日期不能早于开始日期 / to is before from",
        ));
    }
    let target = q.target_minutes.unwrap_or(20);
    if !(1..=240).contains(&target) {
        return Err(bad_param("target_minutes", "out_of_range", "应为 1–240"));
    }
    Ok(state
        .app
        .hall_stats(
            caller.principal(),
            &path.key(),
            &from.to_string(),
            &to.to_string(),
            target,
        )
        .await?)
}

/// Waiting and service time distributions per category, window, staff and hour.
#[utoipa::path(
    get,
    path = "/api/v1/halls/{centre}/{hall}/stats",
    tag = "hall",
    params(HallPath, StatsQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Statistics", body = Object),
        (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for the centre", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<HallPath>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Json<HallStats>, ApiError> {
    Ok(Json(stats_of(&state, &caller, &path, &q).await?))
}

fn csv_rows(out: &mut String, dimension: &str, groups: &[GroupStats]) {
    for g in groups {
        out.push_str(&format!(
            "{dimension},{},{},{},{},{:.4},{:.4},{:.2},{:.2},{:.2},{:.2},{:.2}\n",
            g.key,
            g.tickets,
            g.served,
            g.abandoned,
            g.abandonment_rate,
            g.within_target,
            g.wait.mean,
            g.wait.p50,
            g.wait.p90,
            g.service.mean,
            g.service.p90
        ));
    }
}

/// The statistics as CSV for the dashboards (one row per group).
#[utoipa::path(
    get,
    path = "/api/v1/halls/{centre}/{hall}/stats.csv",
    tag = "hall",
    params(HallPath, StatsQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv"),
        (status = 403, description = "Not allowed for the centre", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn stats_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<HallPath>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let s = stats_of(&state, &caller, &path, &q).await?;
    let mut out = String::from(
        "dimension,key,tickets,served,abandoned,abandonment_rate,within_target,wait_mean_min,wait_p50_min,wait_p90_min,service_mean_min,service_p90_min\n",
    );
    csv_rows(&mut out, "total", std::slice::from_ref(&s.total));
    csv_rows(&mut out, "category", &s.by_category);
    csv_rows(&mut out, "counter", &s.by_counter);
    csv_rows(&mut out, "staff", &s.by_staff);
    csv_rows(&mut out, "hour", &s.by_hour);
    let name = format!(
        "attachment; filename=\"hall-{}-{}-{}-{}.csv\"",
        path.centre, path.hall, s.from, s.to
    );
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, name),
        ],
        out,
    ))
}

/// Planner parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    /// The recorded day to plan from (default yesterday).
    pub day: Option<String>,
    /// Target wait, minutes (default 20).
    pub target_minutes: Option<f64>,
    /// Share within the target (default 0.9).
    pub target_share: Option<f64>,
}

/// Parses planner parameters, naming the bad field.
pub fn plan_target(
    target_minutes: Option<f64>,
    target_share: Option<f64>,
) -> Result<PlanTarget, ApiError> {
    let mut t = PlanTarget::default();
    if let Some(m) = target_minutes {
        if !(1.0..=240.0).contains(&m) {
            return Err(bad_param("target_minutes", "out_of_range", "应为 1–240"));
        }
        t.target_minutes = m;
    }
    if let Some(s) = target_share {
        if !(0.5..=0.999).contains(&s) {
            return Err(bad_param("target_share", "out_of_range", "应为 0.5–0.999"));
        }
        t.target_share = s;
    }
    Ok(t)
}

/// Windows per hour for a target, by Erlang C checked by simulation, and
/// dedicated versus pooled windows.
#[utoipa::path(
    get,
    path = "/api/v1/halls/{centre}/{hall}/plan",
    tag = "hall",
    params(HallPath, PlanQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The plan", body = Object),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No supervision.view", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn plan(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<HallPath>,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> Result<Json<DayPlan>, ApiError> {
    let target = plan_target(q.target_minutes, q.target_share)?;
    let day = day_param("day", q.day.as_deref())?
        .unwrap_or_else(|| state.app.today().saturating_sub(time::Duration::days(1)));
    Ok(Json(
        state
            .app
            .staffing_plan(caller.principal(), &path.key(), &day.to_string(), target)
            .await?,
    ))
}

/// Where to resume the feed.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// Events after this id (default: only new ones for SSE, all for JSON).
    pub after: Option<i64>,
}

/// Events of a hall after an id (JSON catch-up, public).
#[utoipa::path(
    get,
    path = "/api/v1/halls/{centre}/{hall}/events",
    tag = "hall",
    params(HallPath, FeedQuery),
    responses(
        (status = 200, description = "Events, oldest first (at most 200)", body = Object),
        (status = 404, description = "No such hall", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<HallPath>,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<Json<Vec<HallEventRecord>>, ApiError> {
    let key = path.key();
    state.app.hall_place(&key).await?;
    Ok(Json(
        state
            .app
            .store
            .hall_events_after(&key, q.after.unwrap_or(0), 200)
            .await
            .map_err(crate::api::app_err)?,
    ))
}

fn sse_event(e: &HallEventRecord) -> Event {
    let data = serde_json::json!({
        "id": e.id, "kind": e.kind, "ticket_number": e.ticket_number,
        "counter_number": e.counter_number, "at": e.at, "detail": e.detail,
    });
    Event::default()
        .id(e.id.to_string())
        .event(e.kind.clone())
        .data(data.to_string())
}

/// `GET /hall/{centre}/{hall}/board/events` — the board's server-sent
/// events. Without `Last-Event-ID` or `after` it starts after the newest
/// event (a board shows history from the page itself).
pub async fn board_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(path): ApiPath<HallPath>,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let key = path.key();
    state.app.hall_place(&key).await?;
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.after);
    let start = match resume {
        Some(id) => id,
        None => state
            .app
            .store
            .latest_hall_events(&key, &[], 1)
            .await
            .map_err(crate::api::app_err)?
            .first()
            .map_or(0, |e| e.id),
    };
    let wakeups = state.app.hall_feed.subscribe(&state.app.store).await;
    let app = state.app.clone();
    let stream = stream::unfold(
        (app, key, start, wakeups, Vec::<Event>::new()),
        |(app, key, mut after, mut wakeups, mut pending)| async move {
            loop {
                if !pending.is_empty() {
                    let e = pending.remove(0);
                    return Some((Ok(e), (app, key, after, wakeups, pending)));
                }
                match app
                    .wait_for_hall_events(&key, after, &mut wakeups, Duration::from_secs(25))
                    .await
                {
                    Ok(events) if !events.is_empty() => {
                        after = events.last().map_or(after, |e| e.id);
                        pending = events.iter().map(sse_event).collect();
                    }
                    Ok(_) => {
                        let ping = Event::default().comment("keep-alive");
                        return Some((Ok(ping), (app, key, after, wakeups, pending)));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "board feed read failed; the browser reconnects");
                        return None;
                    }
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
