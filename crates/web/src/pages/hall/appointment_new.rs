//! `GET /appointments/new?centre=&hall=&category=` — open appointment
//! slots of a hall's category for the next 7 days, with the places left
//! (capacity − booked) and a book button per slot (disabled when full or
//! started); `POST /appointments` (`slot_id`) books one and answers 303 to
//! `/appointments`.
//!
//! Rules: anonymous visitors are sent to sign in; staff get 403; an unknown
//! hall is 404 and an unknown category 400 naming `category`. While
//! repeated no-shows close booking the page says until when and offers no
//! button; the store refuses a full slot, a second booking of the same
//! category and day, and a restricted applicant in any case.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use onetrip_store::HallKey;
use serde::Deserialize;

use super::appointments::{blocked_message, require_applicant};
use super::{add_days, bad_query, categories, category_label, hhmm, place};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::admin::{check_csrf, field, parse_pairs, see_other};
use crate::state::AppState;

/// Which hall and category.
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    /// Centre code.
    pub centre: Option<String>,
    /// Hall code.
    pub hall: Option<String>,
    /// Category code.
    pub category: Option<String>,
}

struct SlotRow {
    id: i64,
    time: String,
    remaining: i64,
    bookable: bool,
}

struct DayRow {
    day: String,
    slots: Vec<SlotRow>,
}

#[derive(Template)]
#[template(path = "hall/appointment_new.html")]
struct NewPage {
    page: PageCtx,
    hall_name: String,
    category: String,
    category_name: String,
    choices: Vec<(String, String, bool)>,
    days: Vec<DayRow>,
    blocked: Option<String>,
}

/// Lists open slots.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let who = require_applicant(&page)?;
    let key = match (q.centre.as_deref(), q.hall.as_deref()) {
        (Some(c), Some(h)) if !c.is_empty() && !h.is_empty() => HallKey::new(c, h),
        _ => state
            .app
            .queue_halls()
            .await
            .map_err(|e| PageError::from_app(&page, e))?
            .first()
            .map(onetrip_app::hall::HallPlace::key)
            .ok_or_else(|| PageError::not_found(&page))?,
    };
    let place = place(&state, &page, &key).await?;
    let cats = categories(&state, &page, &key).await?;
    let category = q.category.unwrap_or_default().trim().to_owned();
    let chosen = if category.is_empty() {
        None
    } else {
        Some(
            cats.iter()
                .find(|c| c.category.code == category)
                .ok_or_else(|| bad_query(&page, "category", page.t("hall.err.category")))?,
        )
    };
    let now = state.app.now();
    let today = onetrip_app::hall::beijing_day(now);
    let to = add_days(&today, 7).unwrap_or_else(|| today.clone());
    let blocked = blocked_message(&state, &page, &who).await?;
    let mut days: Vec<DayRow> = Vec::new();
    if chosen.is_some() {
        let slots = state
            .app
            .open_slots(&key, Some(&category), &today, &to)
            .await
            .map_err(|e| PageError::from_app(&page, e))?;
        for s in slots {
            let remaining = (s.capacity - s.booked).max(0);
            let row = SlotRow {
                id: s.id,
                time: format!("{}–{}", hhmm(s.start_minute), hhmm(s.end_minute)),
                remaining,
                bookable: remaining > 0 && s.starts_at > now && blocked.is_none(),
            };
            match days.last_mut() {
                Some(d) if d.day == s.day => d.slots.push(row),
                _ => days.push(DayRow {
                    day: s.day.clone(),
                    slots: vec![row],
                }),
            }
        }
    }
    let choices = cats
        .iter()
        .map(|c| {
            (
                format!(
                    "/appointments/new?centre={}&hall={}&category={}",
                    key.centre, key.hall, c.category.code
                ),
                format!("{} {}", c.category.code, category_label(page.lang, c)),
                c.category.code == category,
            )
        })
        .collect();
    Ok(render(&NewPage {
        hall_name: format!(
            "{} {}",
            page.lang.pick(&place.centre.name),
            page.lang.pick(&place.hall.name)
        ),
        category_name: chosen
            .map(|c| category_label(page.lang, c))
            .unwrap_or_default(),
        category,
        choices,
        days,
        blocked,
        page,
    }))
}

/// Books a slot.
pub async fn book(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let who = require_applicant(&page)?;
    let slot = field(&pairs, "slot_id")
        .trim()
        .parse::<i64>()
        .map_err(|_| bad_query(&page, "slot_id", page.t("hall.err.slot")))?;
    state
        .app
        .book_appointment(&who, slot)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    Ok(see_other("/appointments?done=booked"))
}
