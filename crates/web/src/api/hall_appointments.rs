//! Appointments: open slots, booking, cancelling, rescheduling and the
//! kiosk check-in.
//!
//! Rules: applicants book for themselves; a slot is never booked beyond its
//! capacity (the loser of the last place gets 409); one booking per
//! category and day; three missed appointments within 90 days close booking
//! for 30 days (422 naming `applicant`); check-in opens 30 minutes before
//! the slot and gives appointment priority until the slot ends, an ordinary
//! ticket afterwards.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_store::{AppointmentRecord, SlotRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::{Caller, Writer};
use crate::api::hall::{HallPath, TicketView, ticket_view};
use crate::api::{bad_param, non_blank};
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

/// One slot.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotView {
    /// Id.
    pub id: i64,
    /// Category.
    pub category: String,
    /// Beijing day.
    pub day: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
    /// Capacity.
    pub capacity: i64,
    /// Places left.
    pub remaining: i64,
}

fn hhmm(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The view of a slot.
pub fn slot_view(s: &SlotRecord) -> SlotView {
    SlotView {
        id: s.id,
        category: s.category.clone(),
        day: s.day.clone(),
        start: hhmm(s.start_minute),
        end: hhmm(s.end_minute),
        capacity: s.capacity,
        remaining: s.capacity - s.booked,
    }
}

/// One appointment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppointmentView {
    /// Id.
    pub id: i64,
    /// The slot.
    pub slot: SlotView,
    /// Centre.
    pub centre: String,
    /// Hall.
    pub hall: String,
    /// Booking code for the kiosk.
    pub code: String,
    /// `booked`, `cancelled`, `checked_in`, `no_show`.
    pub status: String,
    /// The ticket issued at check-in.
    pub ticket_id: Option<i64>,
}

/// The view of an appointment.
pub fn appointment_view(a: &AppointmentRecord) -> AppointmentView {
    AppointmentView {
        id: a.id,
        slot: slot_view(&a.slot),
        centre: a.slot.hall.centre.clone(),
        hall: a.slot.hall.hall.clone(),
        code: a.code.clone(),
        status: a.status.as_str().to_owned(),
        ticket_id: a.ticket_id,
    }
}

/// Slot filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SlotQuery {
    /// First day (YYYY-MM-DD), default today.
    pub from: Option<String>,
    /// Last day, default a week after `from`.
    pub to: Option<String>,
    /// Only this category.
    pub category: Option<String>,
}

/// Parses an optional `YYYY-MM-DD` query value.
pub fn day_param(field: &str, value: Option<&str>) -> Result<Option<time::Date>, ApiError> {
    non_blank(value)
        .map(|d| {
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                .map_err(|_| bad_param(field, "invalid_date", "应为 YYYY-MM-DD"))
        })
        .transpose()
}

/// The slots of a hall.
#[utoipa::path(
    get,
    path = "/api/v1/halls/{centre}/{hall}/slots",
    tag = "hall",
    params(HallPath, SlotQuery),
    responses(
        (status = 200, description = "Slots by day and time", body = [SlotView]),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such hall", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn slots(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<HallPath>,
    ApiQuery(q): ApiQuery<SlotQuery>,
) -> Result<Json<Vec<SlotView>>, ApiError> {
    let from = day_param("from", q.from.as_deref())?.unwrap_or_else(|| state.app.today());
    let to = day_param("to", q.to.as_deref())?
        .unwrap_or_else(|| from.saturating_add(time::Duration::days(7)));
    let list = state
        .app
        .open_slots(
            &path.key(),
            non_blank(q.category.as_deref()),
            &from.to_string(),
            &to.to_string(),
        )
        .await?;
    Ok(Json(list.iter().map(slot_view).collect()))
}

/// A booking.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookBody {
    /// The slot.
    pub slot_id: i64,
}

/// Books a slot for the signed-in applicant.
#[utoipa::path(
    post,
    path = "/api/v1/appointments",
    tag = "hall",
    request_body = BookBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Booked", body = AppointmentView),
        (status = 403, description = "Not an applicant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Full, or already booked that day", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Slot passed, unknown, or booking closed after missed appointments", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn book(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(body): ApiJson<BookBody>,
) -> Result<(StatusCode, Json<AppointmentView>), ApiError> {
    let a = state
        .app
        .book_appointment(writer.principal(), body.slot_id)
        .await?;
    Ok((StatusCode::CREATED, Json(appointment_view(&a))))
}

/// The caller's appointments, newest slot first.
#[utoipa::path(
    get,
    path = "/api/v1/appointments",
    tag = "hall",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Appointments", body = [AppointmentView]))
)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<AppointmentView>>, ApiError> {
    let list = state.app.my_appointments(caller.principal()).await?;
    Ok(Json(list.iter().map(appointment_view).collect()))
}

/// An appointment id, from the path.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AppointmentPath {
    /// Appointment id.
    pub id: i64,
}

/// Cancels one of the caller's bookings.
#[utoipa::path(
    delete,
    path = "/api/v1/appointments/{id}",
    tag = "hall",
    params(AppointmentPath),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Cancelled", body = AppointmentView),
        (status = 404, description = "Not the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No longer booked", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(path): ApiPath<AppointmentPath>,
) -> Result<Json<AppointmentView>, ApiError> {
    let a = state
        .app
        .cancel_appointment(writer.principal(), path.id)
        .await?;
    Ok(Json(appointment_view(&a)))
}

/// Moves one of the caller's bookings to another slot (all or nothing).
#[utoipa::path(
    post,
    path = "/api/v1/appointments/{id}/reschedule",
    tag = "hall",
    params(AppointmentPath),
    request_body = BookBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "The new booking", body = AppointmentView),
        (status = 409, description = "New slot full; the old booking is kept", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reschedule(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(path): ApiPath<AppointmentPath>,
    ApiJson(body): ApiJson<BookBody>,
) -> Result<(StatusCode, Json<AppointmentView>), ApiError> {
    let a = state
        .app
        .reschedule_appointment(writer.principal(), path.id, body.slot_id)
        .await?;
    Ok((StatusCode::CREATED, Json(appointment_view(&a))))
}

/// A check-in at the kiosk.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInBody {
    /// The 8-digit booking code.
    pub code: String,
}

/// Checks a booking in and issues its ticket (public, at the kiosk).
#[utoipa::path(
    post,
    path = "/api/v1/halls/{centre}/{hall}/check-in",
    tag = "hall",
    params(HallPath),
    request_body = CheckInBody,
    responses(
        (status = 201, description = "Ticket issued", body = TicketView),
        (status = 409, description = "Not booked (cancelled, used or missed)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown code, other hall, or too early", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn check_in(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<HallPath>,
    ApiJson(body): ApiJson<CheckInBody>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let (_, t) = state
        .app
        .check_in_appointment(&path.key(), &body.code)
        .await?;
    let position = state.app.ticket_position(&t).await?;
    Ok((StatusCode::CREATED, Json(ticket_view(&t, position))))
}
