//! Queue tickets: issuing, calling and what a window does with its ticket.

use onetrip_domain::ValidationErrors;
use onetrip_domain::hall::{TicketSource, TicketStatus, pick_next, ticket_number};
use serde_json::json;
use sqlx::Transaction;

use super::events::{self, Event};
use super::rows::{TICKET_COLUMNS, ticket};
use super::setup::{categories, counter_busy, counter_by_id, counter_of_staff, lock_counter};
use super::{Db, audit, idioms, queue_once};
use crate::{
    CallNext, CounterRecord, Ctx, DayClose, HallKey, NewNotification, NewTicket, StoreError,
    StoreResult, TicketAction, TicketRecord,
};

pub(super) async fn by_id<'e, E>(exec: E, id: i64) -> StoreResult<Option<TicketRecord>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(exec)
        .await?
        .map(|r| ticket(&r))
        .transpose()
}

pub(super) async fn by_token(
    pool: &sqlx::Pool<Db>,
    token: &str,
) -> StoreResult<Option<TicketRecord>> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE token = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(token)
        .fetch_optional(pool)
        .await?
        .map(|r| ticket(&r))
        .transpose()
}

pub(super) async fn of_day<'e, E>(
    exec: E,
    hall: &HallKey,
    day: &str,
    statuses: &[TicketStatus],
) -> StoreResult<Vec<TicketRecord>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let marks: Vec<String> = (0..statuses.len()).map(|i| format!("${}", i + 4)).collect();
    let filter = if statuses.is_empty() {
        String::new()
    } else {
        format!(" AND status IN ({})", marks.join(", "))
    };
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE centre_code = $1 AND hall_code = $2 AND day = $3{filter} ORDER BY id"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&hall.centre)
        .bind(&hall.hall)
        .bind(day);
    for s in statuses {
        q = q.bind(s.as_str());
    }
    q.fetch_all(exec).await?.iter().map(ticket).collect()
}

pub(super) async fn between(
    pool: &sqlx::Pool<Db>,
    hall: &HallKey,
    from: &str,
    to: &str,
) -> StoreResult<Vec<TicketRecord>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE centre_code = $1 AND hall_code = $2 AND day >= $3 AND day <= $4 ORDER BY id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&hall.centre)
        .bind(&hall.hall)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?
        .iter()
        .map(ticket)
        .collect()
}

/// The signed-in window of `staff_id`, which must be `counter_id`.
async fn window_of(
    tx: &mut Transaction<'_, Db>,
    staff_id: i64,
    counter_id: i64,
) -> StoreResult<CounterRecord> {
    match counter_of_staff(&mut **tx, staff_id).await? {
        Some(c) if c.id == counter_id => Ok(c),
        Some(c) => Err(StoreError::Conflict(format!(
            "您签到的是 {} 号窗口 / you are signed in at window {}",
            c.number, c.number
        ))),
        None => Err(StoreError::Conflict(
            "请先在窗口签到 / sign in at a window first".into(),
        )),
    }
}

async fn check_category(
    tx: &mut Transaction<'_, Db>,
    hall: &HallKey,
    code: &str,
) -> StoreResult<()> {
    let known = categories(&mut **tx, hall)
        .await?
        .iter()
        .any(|c| c.category.code == code);
    if known {
        Ok(())
    } else {
        Err(ValidationErrors::single(
            "category",
            "unknown_category",
            format!("本大厅没有业务类别 {code} / the hall has no category {code}"),
        )
        .into())
    }
}

pub(super) async fn issue(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    new: &NewTicket,
) -> StoreResult<TicketRecord> {
    check_category(tx, &new.hall, &new.category).await?;
    let mut walk_in_counter = None;
    if let Some(w) = new.serve_at {
        lock_counter(tx, w.counter_id).await?;
        let c = window_of(tx, w.staff_id, w.counter_id).await?;
        if let Some(number) = counter_busy(tx, w.counter_id).await? {
            return Err(StoreError::Conflict(format!(
                "请先处理完 {number} 号 / finish ticket {number} first"
            )));
        }
        walk_in_counter = Some(c);
    }
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO ticket_sequences (centre_code, hall_code, category, day, last_seq) VALUES ($1, $2, $3, $4, 1) \
         ON CONFLICT (centre_code, hall_code, category, day) DO UPDATE SET last_seq = ticket_sequences.last_seq + 1 \
         RETURNING last_seq",
    )
    .bind(&new.hall.centre)
    .bind(&new.hall.hall)
    .bind(&new.category)
    .bind(&new.day)
    .fetch_one(&mut **tx)
    .await?;
    let number = ticket_number(&new.category, seq);
    let (status, served_at, counter_id, staff_id) = match (&walk_in_counter, new.serve_at) {
        (Some(c), Some(w)) => (
            TicketStatus::Serving,
            Some(ctx.at_micros),
            Some(c.id),
            Some(w.staff_id),
        ),
        _ => (TicketStatus::Waiting, None, None, None),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (centre_code, hall_code, day, category, seq, number, priority, green_reason, source, \
         status, issued_at, queued_at, called_at, started_at, finished_at, counter_id, staff_id, target_counter_id, \
         recalls, transfers, outcome, case_id, applicant_id, phone, appointment_id, token, near_notified, issued_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $12, NULL, $13, $14, NULL, 0, 0, NULL, NULL, \
         $15, $16, NULL, $17, 0, $18) RETURNING id",
    )
    .bind(&new.hall.centre)
    .bind(&new.hall.hall)
    .bind(&new.day)
    .bind(&new.category)
    .bind(seq)
    .bind(&number)
    .bind(new.priority.as_str())
    .bind(new.green_reason.map(|g| g.as_str()))
    .bind(new.source.as_str())
    .bind(status.as_str())
    .bind(ctx.at_micros)
    .bind(served_at)
    .bind(counter_id)
    .bind(staff_id)
    .bind(new.applicant_id)
    .bind(&new.phone)
    .bind(&new.token)
    .bind(&ctx.actor)
    .fetch_one(&mut **tx)
    .await?;
    let kind = if new.source == TicketSource::WalkIn {
        "walk_in"
    } else {
        "issued"
    };
    events::write(
        tx,
        &new.hall,
        &new.day,
        ctx.at_micros,
        Event {
            kind,
            ticket_number: &number,
            counter_number: walk_in_counter.as_ref().map(|c| c.number),
            detail: json!({"category": new.category, "priority": new.priority.as_str()}),
        },
    )
    .await?;
    audit::append(
        tx,
        ctx,
        "hall.ticket_issued",
        &format!("ticket:{id}"),
        json!({
            "number": number, "day": new.day, "hall": new.hall.channel(), "category": new.category,
            "priority": new.priority.as_str(), "green_reason": new.green_reason.map(|g| g.as_str()),
            "source": new.source.as_str(), "counter_id": counter_id,
        }),
    )
    .await?;
    by_id(&mut **tx, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("ticket {id}")))
}

pub(super) async fn call_next(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    call: &CallNext,
) -> StoreResult<Option<TicketRecord>> {
    lock_counter(tx, call.counter_id).await?;
    let window = window_of(tx, call.staff_id, call.counter_id).await?;
    if let Some(number) = counter_busy(tx, call.counter_id).await? {
        return Err(StoreError::Conflict(format!(
            "{} 号窗口正在办理 {number} 号 / window {} is still dealing with {number}",
            window.number, window.number
        )));
    }
    let mut waiting: Vec<TicketRecord> =
        of_day(&mut **tx, &window.hall, &call.day, &[TicketStatus::Waiting]).await?;
    let streak = u32::try_from(window.priority_streak.max(0)).unwrap_or(u32::MAX);
    loop {
        let views: Vec<_> = waiting.iter().map(TicketRecord::waiting_view).collect();
        let Some(id) = pick_next(
            &call.rules,
            &window.profile,
            window.id,
            streak,
            &views,
            ctx.at_micros,
        ) else {
            return Ok(None);
        };
        // Another window may have taken it since it was read: the
        // conditional update decides, and the loser picks again.
        let taken = sqlx::query(
            "UPDATE tickets SET status = 'called', called_at = $1, counter_id = $2, staff_id = $3, \
             target_counter_id = NULL WHERE id = $4 AND status = 'waiting'",
        )
        .bind(ctx.at_micros)
        .bind(window.id)
        .bind(call.staff_id)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        let picked = waiting.iter().position(|t| t.id == id);
        let Some(index) = picked else {
            return Err(StoreError::Corrupt(format!(
                "picked ticket {id} not in the list"
            )));
        };
        let chosen = waiting.remove(index);
        if taken == 0 {
            continue;
        }
        let new_streak = if chosen.target_counter_id.is_some() {
            window.priority_streak
        } else if chosen.priority == onetrip_domain::hall::Priority::Ordinary {
            0
        } else {
            window.priority_streak + 1
        };
        sqlx::query("UPDATE counters SET priority_streak = $1 WHERE id = $2")
            .bind(new_streak)
            .bind(window.id)
            .execute(&mut **tx)
            .await?;
        events::write(
            tx,
            &window.hall,
            &call.day,
            ctx.at_micros,
            Event {
                kind: "called",
                ticket_number: &chosen.number,
                counter_number: Some(window.number),
                detail: json!({"category": chosen.category, "counter_zh": window.name_zh, "counter_en": window.name_en}),
            },
        )
        .await?;
        audit::append(
            tx,
            ctx,
            "hall.ticket_called",
            &format!("ticket:{id}"),
            json!({"number": chosen.number, "counter_id": window.id, "counter": window.number,
                   "staff_id": call.staff_id, "waited_micros": ctx.at_micros - chosen.issued_at}),
        )
        .await?;
        return by_id(&mut **tx, id).await;
    }
}

/// Runs an update binding two integers.
async fn exec(tx: &mut Transaction<'_, Db>, sql: &'static str, a: i64, b: i64) -> StoreResult<()> {
    sqlx::query(sql).bind(a).bind(b).execute(&mut **tx).await?;
    Ok(())
}

fn not_allowed(t: &TicketRecord, action: &TicketAction) -> StoreError {
    let allowed: Vec<&str> = action.allowed_from().iter().map(|s| s.as_str()).collect();
    StoreError::Conflict(format!(
        "{} 号当前状态为“{}”，不能{} / ticket {} is {}; {} needs {}",
        t.number,
        t.status.label("zh"),
        action.code(),
        t.number,
        t.status.as_str(),
        action.code(),
        allowed.join(" or ")
    ))
}

pub(super) async fn act(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    ticket_id: i64,
    staff_id: i64,
    action: &TicketAction,
) -> StoreResult<TicketRecord> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1{}",
        idioms::FOR_UPDATE
    );
    let t = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ticket_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| ticket(&r))
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("ticket {ticket_id}")))?;
    if !action.allowed_from().contains(&t.status) {
        return Err(not_allowed(&t, action));
    }
    let Some(counter_id) = t.counter_id else {
        return Err(not_allowed(&t, action));
    };
    let window = window_of(tx, staff_id, counter_id).await?;
    let now = ctx.at_micros;
    let mut detail = json!({"number": t.number, "counter": window.number});
    let kind = match action {
        TicketAction::Recall => {
            exec(
                tx,
                "UPDATE tickets SET recalls = recalls + 1, called_at = $1 WHERE id = $2",
                now,
                t.id,
            )
            .await?;
            "recalled"
        }
        TicketAction::Start => {
            exec(
                tx,
                "UPDATE tickets SET status = 'serving', started_at = $1 WHERE id = $2",
                now,
                t.id,
            )
            .await?;
            "started"
        }
        TicketAction::NoShow => {
            exec(
                tx,
                "UPDATE tickets SET status = 'no_show', finished_at = $1 WHERE id = $2",
                now,
                t.id,
            )
            .await?;
            "no_show"
        }
        TicketAction::TransferToCategory(code) => {
            check_category(tx, &window.hall, code).await?;
            detail["to_category"] = json!(code);
            sqlx::query(
                "UPDATE tickets SET status = 'waiting', category = $1, counter_id = NULL, staff_id = NULL, \
                 called_at = NULL, started_at = NULL, target_counter_id = NULL, transfers = transfers + 1 WHERE id = $2",
            )
            .bind(code)
            .bind(t.id)
            .execute(&mut **tx)
            .await?;
            "transferred"
        }
        TicketAction::TransferToCounter(target) => {
            let to = counter_by_id(&mut **tx, *target)
                .await?
                .filter(|c| c.hall == window.hall && c.active && c.id != window.id)
                .ok_or_else(|| {
                    StoreError::Invalid(ValidationErrors::single(
                        "counter_id",
                        "unknown_counter",
                        "只能转到本大厅另一个开放的窗口 / transfer to another open window of this hall",
                    ))
                })?;
            detail["to_counter"] = json!(to.number);
            exec(
                tx,
                "UPDATE tickets SET status = 'waiting', counter_id = NULL, staff_id = NULL, called_at = NULL, \
                 started_at = NULL, target_counter_id = $1, transfers = transfers + 1 WHERE id = $2",
                to.id,
                t.id,
            )
            .await?;
            "transferred"
        }
        TicketAction::Park => {
            sqlx::query("UPDATE tickets SET status = 'parked' WHERE id = $1")
                .bind(t.id)
                .execute(&mut **tx)
                .await?;
            "parked"
        }
        TicketAction::Resume => {
            if let Some(number) = counter_busy(tx, window.id).await? {
                return Err(StoreError::Conflict(format!(
                    "请先处理完 {number} 号 / finish ticket {number} first"
                )));
            }
            exec(
                tx,
                "UPDATE tickets SET status = 'serving', started_at = COALESCE(started_at, $1) WHERE id = $2",
                now,
                t.id,
            )
            .await?;
            "resumed"
        }
        TicketAction::Finish { outcome, case_id } => {
            if let Some(case_id) = case_id {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE id = $1")
                    .bind(case_id)
                    .fetch_optional(&mut **tx)
                    .await?;
                if found.is_none() {
                    return Err(ValidationErrors::single(
                        "case_id",
                        "unknown_case",
                        format!("办件 {case_id} 不存在 / no case {case_id}"),
                    )
                    .into());
                }
            }
            detail["outcome"] = json!(outcome.as_str());
            detail["case_id"] = json!(case_id);
            sqlx::query(
                "UPDATE tickets SET status = 'finished', finished_at = $1, \
                 started_at = COALESCE(started_at, called_at, $1), outcome = $2, case_id = $3 WHERE id = $4",
            )
            .bind(now)
            .bind(outcome.as_str())
            .bind(*case_id)
            .bind(t.id)
            .execute(&mut **tx)
            .await?;
            "finished"
        }
    };
    events::write(
        tx,
        &window.hall,
        &t.day,
        now,
        Event {
            kind,
            ticket_number: &t.number,
            counter_number: Some(window.number),
            detail: detail.clone(),
        },
    )
    .await?;
    audit::append(
        tx,
        ctx,
        &format!("hall.ticket_{}", action.code()),
        &format!("ticket:{}", t.id),
        detail,
    )
    .await?;
    by_id(&mut **tx, t.id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("ticket {}", t.id)))
}

pub(super) async fn notify_near(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    ticket_id: i64,
    notifications: &[NewNotification],
) -> StoreResult<bool> {
    let marked = sqlx::query("UPDATE tickets SET near_notified = 1 WHERE id = $1 AND near_notified = 0 AND status = 'waiting'")
        .bind(ticket_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    queue_once(
        tx,
        ctx,
        marked,
        "hall.ticket_near_notified",
        &format!("ticket:{ticket_id}"),
        notifications,
    )
    .await
}

pub(super) async fn close_day(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    hall: &HallKey,
    day: &str,
) -> StoreResult<DayClose> {
    let abandoned = sqlx::query(
        "UPDATE tickets SET status = 'abandoned', finished_at = $1 WHERE centre_code = $2 AND hall_code = $3 \
         AND day = $4 AND status IN ('waiting', 'called', 'parked')",
    )
    .bind(ctx.at_micros)
    .bind(&hall.centre)
    .bind(&hall.hall)
    .bind(day)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let no_shows = sqlx::query(
        "UPDATE appointments SET status = 'no_show' WHERE status = 'booked' AND slot_id IN \
         (SELECT id FROM appointment_slots WHERE centre_code = $1 AND hall_code = $2 AND day = $3 AND ends_at <= $4)",
    )
    .bind(&hall.centre)
    .bind(&hall.hall)
    .bind(day)
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let out = DayClose {
        abandoned: i64::try_from(abandoned).unwrap_or(i64::MAX),
        no_shows: i64::try_from(no_shows).unwrap_or(i64::MAX),
    };
    if out == DayClose::default() {
        return Ok(out);
    }
    events::write(
        tx,
        hall,
        day,
        ctx.at_micros,
        Event {
            kind: "closed",
            ticket_number: "",
            counter_number: None,
            detail: json!({"abandoned": out.abandoned}),
        },
    )
    .await?;
    audit::append(
        tx,
        ctx,
        "hall.day_closed",
        &format!("hall:{}", hall.channel()),
        json!({"day": day, "abandoned": out.abandoned, "no_shows": out.no_shows}),
    )
    .await?;
    Ok(out)
}
