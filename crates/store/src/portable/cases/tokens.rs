//! API tokens for department systems; only their hashes are stored.

use serde_json::json;
use sqlx::{Row, Transaction};

use super::{Db, audit};
use crate::{ApiTokenRecord, Ctx, StoreError, StoreResult};

type DbRow = <Db as sqlx::Database>::Row;

fn from_row(r: &DbRow) -> StoreResult<ApiTokenRecord> {
    Ok(ApiTokenRecord {
        id: r.try_get("id")?,
        staff_id: r.try_get("staff_id")?,
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

pub(super) async fn create(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    staff_id: i64,
    name: &str,
    token_hash: &str,
    expires_at: i64,
) -> StoreResult<ApiTokenRecord> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (token_hash, staff_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(token_hash)
    .bind(staff_id)
    .bind(name)
    .bind(ctx.at_micros)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique_as_conflict(e, "token exists"))?;
    audit::append(
        tx,
        ctx,
        "api_token.created",
        &format!("staff:{staff_id}"),
        json!({ "token": id, "name": name, "expires_at": expires_at }),
    )
    .await?;
    Ok(ApiTokenRecord {
        id,
        staff_id,
        name: name.to_owned(),
        created_at: ctx.at_micros,
        expires_at,
        revoked_at: None,
    })
}

pub(super) async fn live(
    tx: &mut Transaction<'_, Db>,
    token_hash: &str,
    now: i64,
) -> StoreResult<Option<ApiTokenRecord>> {
    let row = sqlx::query(
        "SELECT t.id, t.staff_id, t.name, t.created_at, t.expires_at, t.revoked_at FROM api_tokens t \
         JOIN staff s ON s.id = t.staff_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND s.disabled = 0",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub(super) async fn of_staff(
    tx: &mut Transaction<'_, Db>,
    staff_id: i64,
) -> StoreResult<Vec<ApiTokenRecord>> {
    let rows = sqlx::query(
        "SELECT id, staff_id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE staff_id = $1 ORDER BY id",
    )
    .bind(staff_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(from_row).collect()
}

pub(super) async fn revoke(tx: &mut Transaction<'_, Db>, ctx: &Ctx, id: i64) -> StoreResult<()> {
    let done =
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(ctx.at_micros)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("api token {id}")));
    }
    audit::append(
        tx,
        ctx,
        "api_token.revoked",
        &format!("api_token:{id}"),
        json!({}),
    )
    .await?;
    Ok(())
}
