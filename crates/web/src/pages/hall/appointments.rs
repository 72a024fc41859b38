//! `GET /appointments` — the signed-in applicant's appointments (预约),
//! each with its booking code, with cancel (`POST /appointments/{id}/cancel`)
//! and reschedule (`POST /appointments/{id}/reschedule`, `slot_id`) while it
//! is booked and has not started.
//!
//! Rules: anonymous visitors are sent to sign in; staff get 403; an
//! applicant sees and changes only their own bookings (the store checks the
//! owner). When repeated no-shows closed booking, the page says until when.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use onetrip_app::AppError;
use onetrip_app::auth::Principal;
use onetrip_domain::hall::AppointmentStatus;
use onetrip_store::{AppointmentRecord, HallKey};
use serde::Deserialize;

use super::{add_days, categories, category_name, hhmm};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::account::beijing_time;
use crate::pages::admin::{Opt, check_csrf, field, parse_pairs, see_other};
use crate::state::AppState;

/// The signed-in applicant, or sign-in / 403.
pub fn require_applicant(page: &PageCtx) -> Result<Principal, PageError> {
    let who = page.require_principal()?;
    match who {
        Principal::Applicant(_) => Ok(who.clone()),
        Principal::Staff(_) => Err(PageError::from_app(
            page,
            AppError::Forbidden(page.t("hall.err.applicants_only").to_owned()),
        )),
    }
}

/// The restriction message when booking is closed for the applicant.
pub async fn blocked_message(
    state: &AppState,
    page: &PageCtx,
    who: &Principal,
) -> Result<Option<String>, PageError> {
    let Principal::Applicant(a) = who else {
        return Ok(None);
    };
    let until = state
        .app
        .booking_blocked_until(a.id)
        .await
        .map_err(|e| PageError::from_app(page, e))?;
    Ok(until.map(|u| format!("{} {}", page.t("hall.appt.blocked"), beijing_time(u))))
}

struct Row {
    id: i64,
    code: String,
    place: String,
    category: String,
    day: String,
    time: String,
    status: &'static str,
    changeable: bool,
    slots: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "hall/appointments.html")]
struct AppointmentsPage {
    page: PageCtx,
    rows: Vec<Row>,
    notice: Option<&'static str>,
    blocked: Option<String>,
    book_links: Vec<(String, String)>,
}

/// Query after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    /// What was done.
    pub done: Option<String>,
}

async fn hall_name(state: &AppState, page: &PageCtx, key: &HallKey) -> String {
    match state.app.hall_place(key).await {
        Ok(p) => format!(
            "{} {}",
            page.lang.pick(&p.centre.name),
            page.lang.pick(&p.hall.name)
        ),
        Err(_) => key.channel(),
    }
}

async fn row(
    state: &AppState,
    page: &PageCtx,
    a: AppointmentRecord,
    today: &str,
    now: i64,
) -> Result<Row, PageError> {
    let key = a.slot.hall.clone();
    let cats = categories(state, page, &key).await?;
    let changeable = a.status == AppointmentStatus::Booked && a.slot.starts_at > now;
    let slots = if changeable {
        let to = add_days(today, 7).unwrap_or_else(|| today.to_owned());
        state
            .app
            .open_slots(&key, Some(&a.slot.category), today, &to)
            .await
            .map_err(|e| PageError::from_app(page, e))?
            .into_iter()
            .filter(|s| s.id != a.slot.id && s.booked < s.capacity && s.starts_at > now)
            .map(|s| {
                Opt::new(
                    s.id.to_string(),
                    format!(
                        "{} {}–{}（{} {}）",
                        s.day,
                        hhmm(s.start_minute),
                        hhmm(s.end_minute),
                        page.t("hall.appt.remaining"),
                        s.capacity - s.booked
                    ),
                    false,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Row {
        id: a.id,
        code: a.code,
        place: hall_name(state, page, &key).await,
        category: category_name(page.lang, &cats, &a.slot.category),
        day: a.slot.day.clone(),
        time: format!("{}–{}", hhmm(a.slot.start_minute), hhmm(a.slot.end_minute)),
        status: a.status.label(page.lang.code()),
        changeable,
        slots,
    })
}

/// Shows the applicant's appointments.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let who = require_applicant(&page)?;
    let list = state
        .app
        .my_appointments(&who)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let now = state.app.now();
    let today = onetrip_app::hall::beijing_day(now);
    let mut rows = Vec::new();
    for a in list {
        rows.push(row(&state, &page, a, &today, now).await?);
    }
    let mut book_links = Vec::new();
    for p in state
        .app
        .queue_halls()
        .await
        .map_err(|e| PageError::from_app(&page, e))?
    {
        let key = p.key();
        for c in categories(&state, &page, &key).await? {
            book_links.push((
                format!(
                    "/appointments/new?centre={}&hall={}&category={}",
                    key.centre, key.hall, c.category.code
                ),
                format!(
                    "{} · {} {}",
                    page.lang.pick(&p.hall.name),
                    c.category.code,
                    super::category_label(page.lang, &c)
                ),
            ));
        }
    }
    let notice = match q.done.as_deref() {
        Some("booked") => Some(page.t("hall.appt.notice.booked")),
        Some("cancelled") => Some(page.t("hall.appt.notice.cancelled")),
        Some("rescheduled") => Some(page.t("hall.appt.notice.rescheduled")),
        _ => None,
    };
    let blocked = blocked_message(&state, &page, &who).await?;
    Ok(render(&AppointmentsPage {
        rows,
        notice,
        blocked,
        book_links,
        page,
    }))
}

/// Cancels a booking.
pub async fn cancel(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let who = require_applicant(&page)?;
    state
        .app
        .cancel_appointment(&who, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    Ok(see_other("/appointments?done=cancelled"))
}

/// Moves a booking to another slot.
pub async fn reschedule(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let who = require_applicant(&page)?;
    let slot = field(&pairs, "slot_id")
        .trim()
        .parse::<i64>()
        .map_err(|_| super::bad_query(&page, "slot_id", page.t("hall.err.slot")))?;
    state
        .app
        .reschedule_appointment(&who, id, slot)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    Ok(see_other("/appointments?done=rescheduled"))
}
