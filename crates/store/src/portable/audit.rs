//! Appending to and reading the audit chain.

use onetrip_domain::audit::{AuditEntry, entry_hash};
use sqlx::{Row, Transaction};

use super::{Db, idioms};
use crate::{Ctx, StoreResult};

/// Appends one entry in the caller's transaction, so the entry commits or
/// rolls back with the change it records. Returns its sequence number.
pub(super) async fn append(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) -> StoreResult<i64> {
    let head = sqlx::query(idioms::AUDIT_HEAD_FOR_UPDATE)
        .fetch_one(&mut **tx)
        .await?;
    let last_seq: i64 = head.try_get(0)?;
    let prev_hash: String = head.try_get(1)?;
    let seq = last_seq + 1;
    let mut detail = detail;
    if let (Some(ip), Some(map)) = (&ctx.ip, detail.as_object_mut()) {
        map.insert("ip".to_owned(), serde_json::Value::String(ip.clone()));
    }
    // serde_json's map keeps keys sorted, so the text is canonical.
    let detail = serde_json::to_string(&detail)?;
    let hash = entry_hash(
        seq,
        ctx.at_micros,
        &ctx.actor,
        action,
        subject,
        &detail,
        &prev_hash,
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at_micros, actor, action, subject, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(ctx.at_micros)
    .bind(&ctx.actor)
    .bind(action)
    .bind(subject)
    .bind(&detail)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

pub(super) fn entry_from_row(row: &<Db as sqlx::Database>::Row) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        at_micros: row.try_get("at_micros")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

pub(super) async fn entries_after(
    pool: &sqlx::Pool<Db>,
    after_seq: i64,
    limit: i64,
) -> StoreResult<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT seq, at_micros, actor, action, subject, detail, prev_hash, hash FROM audit_log \
         WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after_seq)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(entry_from_row).collect()
}

pub(super) async fn recent(pool: &sqlx::Pool<Db>, limit: i64) -> StoreResult<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT seq, at_micros, actor, action, subject, detail, prev_hash, hash FROM audit_log \
         ORDER BY seq DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(entry_from_row).collect()
}

pub(super) async fn head(pool: &sqlx::Pool<Db>) -> StoreResult<(i64, String)> {
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(pool)
        .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}
