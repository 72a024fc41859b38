//! Reading hall rows back into records.

use onetrip_domain::hall::{
    AppointmentStatus, GreenReason, Outcome, Priority, TicketSource, TicketStatus, WorkProfile,
};
use sqlx::Row;

use super::Db;
use crate::{
    AppointmentRecord, CounterRecord, HallEventRecord, HallKey, SlotRecord, StoreError,
    StoreResult, TicketRecord,
};

pub(super) type DbRow = <Db as sqlx::Database>::Row;

fn code<T>(what: &str, s: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown {what} {s:?}")))
}

pub(super) const COUNTER_COLUMNS: &str = "c.id, c.centre_code, c.hall_code, c.number, c.name_zh, c.name_en, \
     c.profile, c.active, c.priority_streak, s.staff_id, s.since";

pub(super) const COUNTER_FROM: &str =
    "counters c LEFT JOIN counter_sessions s ON s.counter_id = c.id";

pub(super) fn counter(r: &DbRow) -> StoreResult<CounterRecord> {
    let profile: String = r.try_get("profile")?;
    let active: i64 = r.try_get("active")?;
    Ok(CounterRecord {
        id: r.try_get("id")?,
        hall: HallKey::new(
            r.try_get::<String, _>("centre_code")?,
            r.try_get::<String, _>("hall_code")?,
        ),
        number: r.try_get("number")?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        profile: serde_json::from_str::<WorkProfile>(&profile)?,
        active: active != 0,
        priority_streak: r.try_get("priority_streak")?,
        staff_id: r.try_get("staff_id")?,
        since: r.try_get("since")?,
    })
}

pub(super) const TICKET_COLUMNS: &str = "id, centre_code, hall_code, day, category, seq, number, priority, \
     green_reason, source, status, issued_at, queued_at, called_at, started_at, finished_at, counter_id, \
     staff_id, target_counter_id, recalls, transfers, outcome, case_id, applicant_id, phone, appointment_id, \
     token, near_notified, issued_by";

pub(super) fn ticket(r: &DbRow) -> StoreResult<TicketRecord> {
    let priority: String = r.try_get("priority")?;
    let green: Option<String> = r.try_get("green_reason")?;
    let source: String = r.try_get("source")?;
    let status: String = r.try_get("status")?;
    let outcome: Option<String> = r.try_get("outcome")?;
    let near: i64 = r.try_get("near_notified")?;
    Ok(TicketRecord {
        id: r.try_get("id")?,
        hall: HallKey::new(
            r.try_get::<String, _>("centre_code")?,
            r.try_get::<String, _>("hall_code")?,
        ),
        day: r.try_get("day")?,
        category: r.try_get("category")?,
        seq: r.try_get("seq")?,
        number: r.try_get("number")?,
        priority: code("priority", &priority, Priority::parse)?,
        green_reason: green
            .as_deref()
            .map(|g| code("green reason", g, GreenReason::parse))
            .transpose()?,
        source: code("ticket source", &source, TicketSource::parse)?,
        status: code("ticket status", &status, TicketStatus::parse)?,
        issued_at: r.try_get("issued_at")?,
        queued_at: r.try_get("queued_at")?,
        called_at: r.try_get("called_at")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        counter_id: r.try_get("counter_id")?,
        staff_id: r.try_get("staff_id")?,
        target_counter_id: r.try_get("target_counter_id")?,
        recalls: r.try_get("recalls")?,
        transfers: r.try_get("transfers")?,
        outcome: outcome
            .as_deref()
            .map(|o| code("outcome", o, Outcome::parse))
            .transpose()?,
        case_id: r.try_get("case_id")?,
        applicant_id: r.try_get("applicant_id")?,
        phone: r.try_get("phone")?,
        appointment_id: r.try_get("appointment_id")?,
        token: r.try_get("token")?,
        near_notified: near != 0,
        issued_by: r.try_get("issued_by")?,
    })
}

pub(super) const EVENT_COLUMNS: &str =
    "id, centre_code, hall_code, at, kind, ticket_number, counter_number, detail";

pub(super) fn event(r: &DbRow) -> StoreResult<HallEventRecord> {
    let detail: String = r.try_get("detail")?;
    Ok(HallEventRecord {
        id: r.try_get("id")?,
        hall: HallKey::new(
            r.try_get::<String, _>("centre_code")?,
            r.try_get::<String, _>("hall_code")?,
        ),
        at: r.try_get("at")?,
        kind: r.try_get("kind")?,
        ticket_number: r.try_get("ticket_number")?,
        counter_number: r.try_get("counter_number")?,
        detail: serde_json::from_str(&detail)?,
    })
}

pub(super) const SLOT_COLUMNS: &str = "id, centre_code, hall_code, category, day, start_minute, end_minute, \
     starts_at, ends_at, capacity, booked";

pub(super) fn slot(r: &DbRow) -> StoreResult<SlotRecord> {
    Ok(SlotRecord {
        id: r.try_get("id")?,
        hall: HallKey::new(
            r.try_get::<String, _>("centre_code")?,
            r.try_get::<String, _>("hall_code")?,
        ),
        category: r.try_get("category")?,
        day: r.try_get("day")?,
        start_minute: r.try_get("start_minute")?,
        end_minute: r.try_get("end_minute")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        capacity: r.try_get("capacity")?,
        booked: r.try_get("booked")?,
    })
}

/// Appointment columns joined with their slot (`a` and `s`).
pub(super) const APPOINTMENT_SELECT: &str = "SELECT a.id AS a_id, a.applicant_id, a.code, a.status, a.booked_at, \
     a.cancelled_at, a.checked_in_at, a.ticket_id, a.reminded_at, s.id, s.centre_code, s.hall_code, s.category, \
     s.day, s.start_minute, s.end_minute, s.starts_at, s.ends_at, s.capacity, s.booked \
     FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id";

pub(super) fn appointment(r: &DbRow) -> StoreResult<AppointmentRecord> {
    let status: String = r.try_get("status")?;
    Ok(AppointmentRecord {
        id: r.try_get("a_id")?,
        slot: slot(r)?,
        applicant_id: r.try_get("applicant_id")?,
        code: r.try_get("code")?,
        status: code("appointment status", &status, AppointmentStatus::parse)?,
        booked_at: r.try_get("booked_at")?,
        cancelled_at: r.try_get("cancelled_at")?,
        checked_in_at: r.try_get("checked_in_at")?,
        ticket_id: r.try_get("ticket_id")?,
        reminded_at: r.try_get("reminded_at")?,
    })
}
