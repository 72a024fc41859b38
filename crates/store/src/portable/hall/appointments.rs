//! Appointment slots and bookings. A place is taken by a conditional update
//! (`booked < capacity`) and a check constraint, so a slot is never booked
//! beyond its capacity, whatever the number of instances.

use onetrip_domain::ValidationErrors;
use onetrip_domain::hall::{
    CheckInTiming, NO_SHOW_BLOCK_DAYS, NO_SHOW_LIMIT, NO_SHOW_WINDOW_DAYS, Priority, TicketSource,
    check_in_timing,
};
use serde_json::json;
use sqlx::{Row, Transaction};

use super::rows::{APPOINTMENT_SELECT, SLOT_COLUMNS, appointment, slot};
use super::{Db, audit, idioms, queue_once, tickets};
use crate::{
    AppointmentRecord, Ctx, HallKey, NewAppointment, NewNotification, NewSlot, NewTicket,
    ReminderDue, SlotRecord, StoreError, StoreResult,
};

const DAY_MICROS: i64 = 86_400_000_000;

pub(super) async fn create_slots(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    slots: &[NewSlot],
) -> StoreResult<i64> {
    let mut errors = ValidationErrors::default();
    for (i, s) in slots.iter().enumerate() {
        if s.capacity < 1 || s.capacity > 1000 {
            errors.push(
                format!("slots[{i}].capacity"),
                "out_of_range",
                "名额应为 1–1000",
            );
        }
        if s.start_minute >= s.end_minute || s.starts_at >= s.ends_at {
            errors.push(
                format!("slots[{i}].end"),
                "invalid_range",
                "结束时间应晚于开始时间",
            );
        }
    }
    errors.finish(())?;
    let mut created = 0i64;
    for s in slots {
        let n = sqlx::query(
            "INSERT INTO appointment_slots (centre_code, hall_code, category, day, start_minute, end_minute, \
             starts_at, ends_at, capacity, booked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0) \
             ON CONFLICT (centre_code, hall_code, category, day, start_minute) DO NOTHING",
        )
        .bind(&s.hall.centre)
        .bind(&s.hall.hall)
        .bind(&s.category)
        .bind(&s.day)
        .bind(s.start_minute)
        .bind(s.end_minute)
        .bind(s.starts_at)
        .bind(s.ends_at)
        .bind(s.capacity)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        created += i64::try_from(n).unwrap_or(0);
    }
    if created > 0 {
        let days: Vec<&str> = slots.iter().map(|s| s.day.as_str()).collect();
        audit::append(
            tx,
            ctx,
            "hall.slots_created",
            &format!(
                "hall:{}",
                slots.first().map(|s| s.hall.channel()).unwrap_or_default()
            ),
            json!({"created": created, "from": days.iter().min(), "to": days.iter().max()}),
        )
        .await?;
    }
    Ok(created)
}

pub(super) async fn slots(
    pool: &sqlx::Pool<Db>,
    hall: &HallKey,
    category: Option<&str>,
    from: &str,
    to: &str,
) -> StoreResult<Vec<SlotRecord>> {
    let sql = format!(
        "SELECT {SLOT_COLUMNS} FROM appointment_slots WHERE centre_code = $1 AND hall_code = $2 AND day >= $3 \
         AND day <= $4 AND ($5 = '' OR category = $5) ORDER BY day, start_minute, category"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&hall.centre)
        .bind(&hall.hall)
        .bind(from)
        .bind(to)
        .bind(category.unwrap_or(""))
        .fetch_all(pool)
        .await?
        .iter()
        .map(slot)
        .collect()
}

pub(super) async fn slot_by_id<'e, E>(exec: E, id: i64) -> StoreResult<Option<SlotRecord>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!("SELECT {SLOT_COLUMNS} FROM appointment_slots WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(exec)
        .await?
        .map(|r| slot(&r))
        .transpose()
}

pub(super) async fn by_id<'e, E>(exec: E, id: i64) -> StoreResult<Option<AppointmentRecord>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!("{APPOINTMENT_SELECT} WHERE a.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(exec)
        .await?
        .map(|r| appointment(&r))
        .transpose()
}

pub(super) async fn of_applicant(
    pool: &sqlx::Pool<Db>,
    applicant_id: i64,
) -> StoreResult<Vec<AppointmentRecord>> {
    let sql = format!(
        "{APPOINTMENT_SELECT} WHERE a.applicant_id = $1 ORDER BY s.starts_at DESC, a.id DESC"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(applicant_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(appointment)
        .collect()
}

pub(super) async fn no_shows_since<'e, E>(
    exec: E,
    applicant_id: i64,
    since: i64,
) -> StoreResult<Vec<i64>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    Ok(sqlx::query_scalar(
        "SELECT s.ends_at FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id \
         WHERE a.applicant_id = $1 AND a.status = 'no_show' AND s.ends_at >= $2 ORDER BY s.ends_at",
    )
    .bind(applicant_id)
    .bind(since)
    .fetch_all(exec)
    .await?)
}

/// Locks an appointment row of `applicant_id` that is still booked.
async fn locked_booking(
    tx: &mut Transaction<'_, Db>,
    appointment_id: i64,
    applicant_id: i64,
) -> StoreResult<AppointmentRecord> {
    let sql = format!(
        "SELECT id FROM appointments WHERE id = $1{}",
        idioms::FOR_UPDATE
    );
    let _: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(appointment_id)
        .fetch_optional(&mut **tx)
        .await?;
    let a = by_id(&mut **tx, appointment_id)
        .await?
        .filter(|a| a.applicant_id == applicant_id)
        .ok_or_else(|| StoreError::NotFound(format!("appointment {appointment_id}")))?;
    if a.status != onetrip_domain::hall::AppointmentStatus::Booked {
        return Err(StoreError::Conflict(format!(
            "预约状态为“{}”/ the appointment is {}",
            a.status.label("zh"),
            a.status.as_str()
        )));
    }
    Ok(a)
}

pub(super) async fn book(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    new: &NewAppointment,
) -> StoreResult<AppointmentRecord> {
    let target = slot_by_id(&mut **tx, new.slot_id).await?.ok_or_else(|| {
        StoreError::Invalid(ValidationErrors::single(
            "slot_id",
            "unknown_slot",
            "预约时段不存在 / no such slot",
        ))
    })?;
    if target.starts_at <= new.now {
        return Err(ValidationErrors::single(
            "slot_id",
            "slot_passed",
            "该时段已开始或已过去 / the slot has already started",
        )
        .into());
    }
    let missed = no_shows_since(
        &mut **tx,
        new.applicant_id,
        new.now - NO_SHOW_WINDOW_DAYS * DAY_MICROS,
    )
    .await?;
    if i64::try_from(missed.len()).unwrap_or(i64::MAX) >= NO_SHOW_LIMIT
        && let Some(last) = missed.last()
        && new.now < last + NO_SHOW_BLOCK_DAYS * DAY_MICROS
    {
        return Err(ValidationErrors::single(
            "applicant",
            "booking_restricted",
            format!(
                "{NO_SHOW_WINDOW_DAYS} 天内爽约 {} 次，{NO_SHOW_BLOCK_DAYS} 天内不能预约，可现场取号 / \
                 {} missed appointments in {NO_SHOW_WINDOW_DAYS} days: booking is closed for {NO_SHOW_BLOCK_DAYS} days; \
                 take a ticket at the hall instead",
                missed.len(),
                missed.len()
            ),
        )
        .into());
    }
    let same_day: Option<i64> = sqlx::query_scalar(
        "SELECT a.id FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id WHERE a.applicant_id = $1 \
         AND a.status = 'booked' AND s.centre_code = $2 AND s.hall_code = $3 AND s.category = $4 AND s.day = $5",
    )
    .bind(new.applicant_id)
    .bind(&target.hall.centre)
    .bind(&target.hall.hall)
    .bind(&target.category)
    .bind(&target.day)
    .fetch_optional(&mut **tx)
    .await?;
    if same_day.is_some() {
        return Err(StoreError::Conflict(
            "当天已预约同类业务，请改约或取消 / you already hold a booking for this category that day".into(),
        ));
    }
    let taken = sqlx::query(
        "UPDATE appointment_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity",
    )
    .bind(target.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if taken == 0 {
        return Err(StoreError::Conflict(
            "该时段已约满 / the slot is full".into(),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO appointments (slot_id, applicant_id, code, status, booked_at, cancelled_at, checked_in_at, \
         ticket_id, reminded_at) VALUES ($1, $2, $3, 'booked', $4, NULL, NULL, NULL, NULL) RETURNING id",
    )
    .bind(target.id)
    .bind(new.applicant_id)
    .bind(&new.code)
    .bind(ctx.at_micros)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique_as_conflict(e, "已预约该时段 / already booked"))?;
    audit::append(
        tx,
        ctx,
        "hall.appointment_booked",
        &format!("appointment:{id}"),
        json!({"slot_id": target.id, "applicant_id": new.applicant_id, "day": target.day,
               "start_minute": target.start_minute, "category": target.category}),
    )
    .await?;
    by_id(&mut **tx, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("appointment {id}")))
}

pub(super) async fn cancel(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    appointment_id: i64,
    applicant_id: i64,
    why: &str,
) -> StoreResult<AppointmentRecord> {
    let a = locked_booking(tx, appointment_id, applicant_id).await?;
    sqlx::query("UPDATE appointments SET status = 'cancelled', cancelled_at = $1 WHERE id = $2")
        .bind(ctx.at_micros)
        .bind(a.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE appointment_slots SET booked = booked - 1 WHERE id = $1")
        .bind(a.slot.id)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        ctx,
        "hall.appointment_cancelled",
        &format!("appointment:{}", a.id),
        json!({"slot_id": a.slot.id, "applicant_id": applicant_id, "why": why}),
    )
    .await?;
    by_id(&mut **tx, a.id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("appointment {}", a.id)))
}

pub(super) async fn check_in(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    code: &str,
    template: &NewTicket,
) -> StoreResult<(AppointmentRecord, crate::TicketRecord)> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM appointments WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    let id = id.ok_or_else(|| {
        StoreError::Invalid(ValidationErrors::single(
            "code",
            "unknown_appointment",
            "预约码不存在 / no appointment with this code",
        ))
    })?;
    let applicant_id: i64 =
        sqlx::query_scalar("SELECT applicant_id FROM appointments WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let a = locked_booking(tx, id, applicant_id).await?;
    if a.slot.hall != template.hall {
        return Err(ValidationErrors::single(
            "code",
            "other_hall",
            "该预约不在本大厅办理 / the appointment is for another hall",
        )
        .into());
    }
    let priority = match check_in_timing(a.slot.starts_at, a.slot.ends_at, ctx.at_micros) {
        CheckInTiming::TooEarly => {
            return Err(ValidationErrors::single(
                "code",
                "too_early",
                format!(
                    "签到在预约时段开始前 {} 分钟开放 / check-in opens {} minutes before the slot",
                    onetrip_domain::hall::CHECK_IN_EARLY_MINUTES,
                    onetrip_domain::hall::CHECK_IN_EARLY_MINUTES
                ),
            )
            .into());
        }
        CheckInTiming::OnTime => Priority::Appointment,
        CheckInTiming::Late => Priority::Ordinary,
    };
    let new = NewTicket {
        category: a.slot.category.clone(),
        priority,
        green_reason: None,
        source: TicketSource::Appointment,
        applicant_id: Some(a.applicant_id),
        serve_at: None,
        ..template.clone()
    };
    let issued = tickets::issue(tx, ctx, &new).await?;
    sqlx::query("UPDATE tickets SET appointment_id = $1 WHERE id = $2")
        .bind(a.id)
        .bind(issued.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE appointments SET status = 'checked_in', checked_in_at = $1, ticket_id = $2 WHERE id = $3")
        .bind(ctx.at_micros)
        .bind(issued.id)
        .bind(a.id)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        ctx,
        "hall.appointment_checked_in",
        &format!("appointment:{}", a.id),
        json!({"ticket_id": issued.id, "number": issued.number, "priority": priority.as_str()}),
    )
    .await?;
    let a = by_id(&mut **tx, a.id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("appointment {}", a.id)))?;
    let t = tickets::by_id(&mut **tx, issued.id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("ticket {}", issued.id)))?;
    Ok((a, t))
}

pub(super) async fn reminders_due(
    pool: &sqlx::Pool<Db>,
    until: i64,
) -> StoreResult<Vec<ReminderDue>> {
    let sql = format!(
        "SELECT q.*, p.mobile, p.email FROM ({APPOINTMENT_SELECT} WHERE a.status = 'booked' AND a.reminded_at IS NULL \
         AND s.starts_at <= $1) q JOIN applicants p ON p.id = q.applicant_id ORDER BY q.starts_at, q.a_id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(until)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let mobile: String = r.try_get("mobile")?;
            Ok(ReminderDue {
                appointment: appointment(r)?,
                phone: Some(mobile).filter(|m| !m.is_empty()),
                email: r.try_get("email")?,
            })
        })
        .collect()
}

pub(super) async fn mark_reminded(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    appointment_id: i64,
    notifications: &[NewNotification],
) -> StoreResult<bool> {
    let marked = sqlx::query(
        "UPDATE appointments SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL AND status = 'booked'",
    )
    .bind(ctx.at_micros)
    .bind(appointment_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    queue_once(
        tx,
        ctx,
        marked,
        "hall.appointment_reminded",
        &format!("appointment:{appointment_id}"),
        notifications,
    )
    .await
}

pub(super) async fn mark_no_shows(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    now: i64,
) -> StoreResult<i64> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT a.id FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id \
         WHERE a.status = 'booked' AND s.ends_at <= $1 ORDER BY a.id",
    )
    .bind(now)
    .fetch_all(&mut **tx)
    .await?;
    for id in &ids {
        sqlx::query(
            "UPDATE appointments SET status = 'no_show' WHERE id = $1 AND status = 'booked'",
        )
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    if !ids.is_empty() {
        audit::append(
            tx,
            ctx,
            "hall.appointments_missed",
            "appointments",
            json!({"appointment_ids": ids}),
        )
        .await?;
    }
    Ok(i64::try_from(ids.len()).unwrap_or(i64::MAX))
}
