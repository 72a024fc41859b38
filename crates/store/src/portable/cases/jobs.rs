//! Leases for single-instance background jobs and deadline escalations.

use onetrip_domain::calendar::WarningLevel;
use serde_json::json;
use sqlx::Transaction;

use super::open::queue;
use super::{Db, audit};
use crate::{Ctx, NewNotification, StoreResult};

/// Takes the lease when it is free or expired, or renews it for its holder.
pub(super) async fn acquire_lease(
    tx: &mut Transaction<'_, Db>,
    name: &str,
    holder: &str,
    now: i64,
    until: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO job_leases (name, holder, until_micros) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_micros = excluded.until_micros \
         WHERE job_leases.until_micros < $4 OR job_leases.holder = excluded.holder",
    )
    .bind(name)
    .bind(holder)
    .bind(until)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the warning level; escalates once per (case, part, threshold).
pub(super) async fn record_warning(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    case_id: i64,
    part_seq: i64,
    level: WarningLevel,
    notifications: &[NewNotification],
) -> StoreResult<bool> {
    if part_seq == 0 {
        sqlx::query("UPDATE cases SET warning = $1 WHERE id = $2")
            .bind(level.as_str())
            .bind(case_id)
            .execute(&mut **tx)
            .await?;
    } else {
        sqlx::query("UPDATE case_parts SET warning = $1 WHERE case_id = $2 AND seq = $3")
            .bind(level.as_str())
            .bind(case_id)
            .bind(part_seq)
            .execute(&mut **tx)
            .await?;
        // The case shows its worst part.
        sqlx::query(
            "UPDATE cases SET warning = (SELECT CASE WHEN SUM(CASE WHEN warning = 'red' THEN 1 ELSE 0 END) > 0 THEN 'red' \
             WHEN SUM(CASE WHEN warning = 'yellow' THEN 1 ELSE 0 END) > 0 THEN 'yellow' ELSE 'normal' END \
             FROM case_parts WHERE case_id = $1 AND status IN ('open', 'claimed', 'waiting')) WHERE id = $1",
        )
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    }
    if level == WarningLevel::Normal {
        return Ok(false);
    }
    let inserted = sqlx::query(
        "INSERT INTO case_escalations (case_id, part_seq, level, at_micros) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(part_seq)
    .bind(level.as_str())
    .bind(ctx.at_micros)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    queue(tx, ctx, Some(case_id), notifications).await?;
    let case_no: String = sqlx::query_scalar("SELECT case_no FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&mut **tx)
        .await?;
    audit::append(
        tx,
        ctx,
        "case.escalated",
        &format!("case:{case_no}"),
        json!({ "part": part_seq, "level": level.as_str(), "notified": notifications.len() }),
    )
    .await?;
    Ok(true)
}
