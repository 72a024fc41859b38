//! `GET /tickets/{token}` — the ticket holder's page: the number in large
//! type, the category, the state, the tickets ahead and the estimated wait,
//! and once called the window to go to. The page reloads itself every 15
//! seconds while the ticket is open (no JavaScript needed) and shows a
//! "your turn is near" banner when fewer than `hall.near_position` tickets
//! are ahead.
//!
//! Rules: anyone holding the link may look; an unknown token is 404. No
//! personal data is shown — the mobile number, when given, is masked.

use askama::Template;
use axum::extract::{Path, State};
use onetrip_app::hall::queue::TicketPosition;
use onetrip_domain::hall::{Priority, TicketStatus};
use onetrip_domain::identity::mask_phone;

use super::{categories, category_name, clock};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "hall/ticket.html")]
struct TicketPage {
    page: PageCtx,
    number: String,
    hall_name: String,
    category: String,
    status: &'static str,
    priority: &'static str,
    issued: String,
    position: Option<TicketPosition>,
    window: Option<i64>,
    near: bool,
    live: bool,
    phone: String,
    board: String,
}

/// Shows a ticket.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> PageResult {
    let store_err = |e: onetrip_store::StoreError| PageError::from_app(&page, e.into());
    let ticket = state
        .app
        .store
        .ticket_by_token(&token)
        .await
        .map_err(store_err)?
        .ok_or_else(|| PageError::not_found(&page))?;
    let position = state
        .app
        .ticket_position(&ticket)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let window = match (ticket.status, ticket.counter_id) {
        (TicketStatus::Called | TicketStatus::Serving | TicketStatus::Parked, Some(id)) => state
            .app
            .store
            .counter(id)
            .await
            .map_err(store_err)?
            .map(|c| c.number),
        _ => None,
    };
    let near_position = state.app.config.hall.near_position;
    let near = position.is_some_and(|p| p.ahead < near_position);
    let cats = categories(&state, &page, &ticket.hall).await?;
    let hall_name = match state.app.hall_place(&ticket.hall).await {
        Ok(p) => format!(
            "{} {}",
            page.lang.pick(&p.centre.name),
            page.lang.pick(&p.hall.name)
        ),
        Err(_) => ticket.hall.channel(),
    };
    let lang = page.lang.code();
    Ok(render(&TicketPage {
        number: ticket.number.clone(),
        hall_name,
        category: category_name(page.lang, &cats, &ticket.category),
        status: ticket.status.label(lang),
        priority: match ticket.priority {
            Priority::Ordinary => "",
            p => p.label(lang),
        },
        issued: clock(ticket.issued_at),
        position,
        window,
        near,
        live: !ticket.status.is_closed(),
        phone: ticket.phone.as_deref().map(mask_phone).unwrap_or_default(),
        board: format!("/hall/{}/{}/board", ticket.hall.centre, ticket.hall.hall),
        page,
    }))
}
