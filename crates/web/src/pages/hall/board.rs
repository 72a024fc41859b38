//! `GET /hall/{centre}/{hall}/board` — the live display board of a hall:
//! the latest calls, the waiting count per category and the windows with
//! who is open. The page is complete without JavaScript; `/static/board.js`
//! then follows `/hall/{centre}/{hall}/board/events` (server-sent events,
//! resuming after `data-last-id`), updates the lists in place and announces
//! calls with the browser's speech synthesis (请 A012 号到 3 号窗口) once
//! the visitor turns the voice on.
//!
//! Rules: public; an unknown hall is 404.

use askama::Template;
use axum::extract::{Path, State};
use onetrip_domain::hall::TicketStatus;
use onetrip_store::HallKey;

use super::{CategoryView, categories_with_waiting, clock, place};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::state::AppState;

/// One call on the board.
struct CallRow {
    id: i64,
    number: String,
    window: String,
    at: String,
}

/// One window on the board.
struct WindowRow {
    number: i64,
    name: String,
    open: bool,
    current: String,
}

#[derive(Template)]
#[template(path = "hall/board.html")]
struct BoardPage {
    page: PageCtx,
    centre: String,
    hall: String,
    hall_name: String,
    last_id: i64,
    calls: Vec<CallRow>,
    categories: Vec<CategoryView>,
    total_waiting: usize,
    windows: Vec<WindowRow>,
}

/// Shows the board.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path((centre, hall)): Path<(String, String)>,
) -> PageResult {
    let key = HallKey::new(centre, hall);
    let place = place(&state, &page, &key).await?;
    let store = &state.app.store;
    let err = |e: onetrip_store::StoreError| PageError::from_app(&page, e.into());
    let last_id = store
        .latest_hall_events(&key, &[], 1)
        .await
        .map_err(err)?
        .first()
        .map_or(0, |e| e.id);
    let calls = store
        .latest_hall_events(&key, &["called", "recalled"], 10)
        .await
        .map_err(err)?
        .into_iter()
        .map(|e| CallRow {
            id: e.id,
            number: e.ticket_number,
            window: e.counter_number.map(|n| n.to_string()).unwrap_or_default(),
            at: clock(e.at),
        })
        .collect();
    let categories = categories_with_waiting(&state, &page, &key).await?;
    let total_waiting = categories.iter().map(|c| c.waiting).sum();
    let today = onetrip_app::hall::beijing_day(state.app.now());
    let current = store
        .hall_tickets(&key, &today, &[TicketStatus::Called, TicketStatus::Serving])
        .await
        .map_err(err)?;
    let windows = store
        .counters(&key)
        .await
        .map_err(err)?
        .into_iter()
        .filter(|c| c.active)
        .map(|c| WindowRow {
            number: c.number,
            name: page.lang.choose(&c.name_zh, &c.name_en).to_owned(),
            open: c.staff_id.is_some(),
            current: current
                .iter()
                .filter(|t| t.counter_id == Some(c.id))
                .map(|t| t.number.clone())
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect();
    Ok(render(&BoardPage {
        centre: key.centre.clone(),
        hall: key.hall.clone(),
        hall_name: format!(
            "{} {}",
            page.lang.pick(&place.centre.name),
            page.lang.pick(&place.hall.name)
        ),
        last_id,
        calls,
        categories,
        total_waiting,
        windows,
        page,
    }))
}
