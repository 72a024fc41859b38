//! The notification outbox: rows written with the change they report,
//! claimed by one worker at a time under a lease, and marked sent or failed.

use serde_json::json;
use sqlx::{Row, Transaction};

use super::{Db, audit, idioms};
use crate::{Ctx, DeliveryOutcome, MessageRecord, OutboxRecord, StoreError, StoreResult};

type DbRow = <Db as sqlx::Database>::Row;

const COLUMNS: &str = "id, channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, \
     last_error, created_at, sent_at";

fn from_row(r: &DbRow) -> StoreResult<OutboxRecord> {
    Ok(OutboxRecord {
        id: r.try_get("id")?,
        channel: r.try_get("channel")?,
        recipient: r.try_get("recipient")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        case_id: r.try_get("case_id")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        last_error: r.try_get("last_error")?,
        created_at: r.try_get("created_at")?,
        sent_at: r.try_get("sent_at")?,
    })
}

pub(super) async fn claim(
    tx: &mut Transaction<'_, Db>,
    holder: &str,
    now: i64,
    lease_micros: i64,
    limit: i64,
) -> StoreResult<Vec<OutboxRecord>> {
    let ids: Vec<i64> = sqlx::query_scalar(idioms::PICK_OUTBOX)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        sqlx::query("UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE id = $3")
            .bind(holder)
            .bind(now + lease_micros)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        out.push(from_row(&row)?);
    }
    Ok(out)
}

pub(super) async fn complete(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    id: i64,
    holder: &str,
    outcome: &DeliveryOutcome,
) -> StoreResult<()> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, claimed_by FROM outbox WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("outbox {id}")))?;
    let claimed_by: String = row.try_get("claimed_by")?;
    let rec = from_row(&row)?;
    if claimed_by != holder || rec.status != "pending" {
        return Err(StoreError::Conflict(format!(
            "outbox {id} is not claimed by {holder}"
        )));
    }
    let (status, error, next, sent_at) = match outcome {
        DeliveryOutcome::Sent => (
            "sent",
            String::new(),
            rec.next_attempt_at,
            Some(ctx.at_micros),
        ),
        DeliveryOutcome::Retry {
            error,
            next_attempt_at,
        } => ("pending", error.clone(), *next_attempt_at, None),
        DeliveryOutcome::Failed { error } => ("failed", error.clone(), rec.next_attempt_at, None),
    };
    sqlx::query(
        "UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2, next_attempt_at = $3, \
         sent_at = $4, claimed_by = '', claimed_until = 0 WHERE id = $5",
    )
    .bind(status)
    .bind(&error)
    .bind(next)
    .bind(sent_at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if status == "sent" && rec.channel == "in_app" {
        let (kind, pid) = rec
            .recipient
            .split_once(':')
            .and_then(|(k, i)| i.parse::<i64>().ok().map(|i| (k.to_owned(), i)))
            .ok_or_else(|| StoreError::Corrupt(format!("in-app recipient {:?}", rec.recipient)))?;
        sqlx::query(
            "INSERT INTO messages (principal_kind, principal_id, subject, body, case_id, outbox_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(kind)
        .bind(pid)
        .bind(&rec.subject)
        .bind(&rec.body)
        .bind(rec.case_id)
        .bind(id)
        .bind(ctx.at_micros)
        .execute(&mut **tx)
        .await?;
    }
    audit::append(
        tx,
        ctx,
        &format!("notification.{status}"),
        &format!("outbox:{id}"),
        json!({ "channel": rec.channel, "attempt": rec.attempts + 1, "error": error }),
    )
    .await?;
    Ok(())
}

pub(super) async fn list(
    tx: &mut Transaction<'_, Db>,
    case_id: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<OutboxRecord>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM outbox WHERE (CAST($1 AS BIGINT) IS NULL OR case_id = $1) ORDER BY id DESC LIMIT $2"
    )))
    .bind(case_id)
    .bind(limit.clamp(1, 1000))
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(from_row).collect()
}

pub(super) async fn messages(
    tx: &mut Transaction<'_, Db>,
    kind: &str,
    id: i64,
    limit: i64,
) -> StoreResult<Vec<MessageRecord>> {
    let rows = sqlx::query(
        "SELECT id, subject, body, case_id, created_at, read_at FROM messages \
         WHERE principal_kind = $1 AND principal_id = $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(kind)
    .bind(id)
    .bind(limit.clamp(1, 500))
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MessageRecord {
                id: r.try_get("id")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                case_id: r.try_get("case_id")?,
                created_at: r.try_get("created_at")?,
                read_at: r.try_get("read_at")?,
            })
        })
        .collect()
}
