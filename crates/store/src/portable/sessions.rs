//! Server-side sessions and login throttling.

use serde_json::json;
use sqlx::{Row, Transaction};

use super::{Db, audit};
use crate::{Ctx, PrincipalKind, SessionRecord, StoreError, StoreResult, ThrottleState};

type DbRow = <Db as sqlx::Database>::Row;

pub(super) async fn throttle(
    executor: impl sqlx::Executor<'_, Database = Db>,
    key: &str,
) -> StoreResult<ThrottleState> {
    let row = sqlx::query(
        "SELECT failures, window_start, locked_until FROM login_throttle WHERE throttle_key = $1",
    )
    .bind(key.to_owned())
    .fetch_optional(executor)
    .await?;
    match row {
        Some(r) => Ok(ThrottleState {
            failures: r.try_get("failures")?,
            window_start_micros: r.try_get("window_start")?,
            locked_until_micros: r.try_get("locked_until")?,
        }),
        None => Ok(ThrottleState::default()),
    }
}

pub(super) async fn record_failure(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    key: &str,
    max_failures: i64,
    window_micros: i64,
    lock_micros: i64,
) -> StoreResult<ThrottleState> {
    let now = ctx.at_micros;
    // Create or lock the key's row before reading it, so that concurrent
    // failures queue here instead of overwriting each other's count.
    sqlx::query(
        "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) VALUES ($1, 0, 0, NULL) \
         ON CONFLICT (throttle_key) DO UPDATE SET failures = login_throttle.failures",
    )
    .bind(key)
    .execute(&mut **tx)
    .await?;
    let mut state = throttle(&mut **tx, key).await?;
    if now - state.window_start_micros > window_micros
        || state.locked_until_micros.is_some_and(|t| t <= now)
    {
        state = ThrottleState {
            failures: 0,
            window_start_micros: now,
            locked_until_micros: None,
        };
    }
    state.failures += 1;
    if state.failures >= max_failures {
        state.locked_until_micros = Some(now + lock_micros);
    }
    sqlx::query(
        "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (throttle_key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, \
         locked_until = excluded.locked_until",
    )
    .bind(key)
    .bind(state.failures)
    .bind(state.window_start_micros)
    .bind(state.locked_until_micros)
    .execute(&mut **tx)
    .await?;
    audit::append(
        tx,
        ctx,
        "auth.login_failed",
        &format!("login:{key}"),
        json!({ "failures": state.failures, "locked": state.locked_until_micros.is_some() }),
    )
    .await?;
    Ok(state)
}

pub(super) async fn create(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    s: &SessionRecord,
    throttle_key: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, principal_kind, principal_id, csrf_token, created_at, expires_at, revoked_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)",
    )
    .bind(&s.token_hash)
    .bind(s.kind.as_str())
    .bind(s.principal_id)
    .bind(&s.csrf_token)
    .bind(s.created_at_micros)
    .bind(s.expires_at_micros)
    .bind(&s.ip)
    .bind(&s.user_agent)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
        .bind(throttle_key)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        ctx,
        "auth.login",
        &format!("{}:{}", s.kind.as_str(), s.principal_id),
        json!({ "session": &s.token_hash[..12.min(s.token_hash.len())] }),
    )
    .await?;
    Ok(())
}

fn session_from_row(row: &DbRow) -> StoreResult<SessionRecord> {
    let kind: String = row.try_get("principal_kind")?;
    Ok(SessionRecord {
        token_hash: row.try_get("token_hash")?,
        kind: PrincipalKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("principal kind {kind}")))?,
        principal_id: row.try_get("principal_id")?,
        csrf_token: row.try_get("csrf_token")?,
        created_at_micros: row.try_get("created_at")?,
        expires_at_micros: row.try_get("expires_at")?,
        ip: row.try_get("ip")?,
        user_agent: row.try_get("user_agent")?,
    })
}

/// A session is live when it is not revoked, not expired and its owner is not disabled.
const LIVE: &str = "s.revoked_at IS NULL AND s.expires_at > $2 \
     AND NOT EXISTS (SELECT 1 FROM staff st WHERE s.principal_kind = 'staff' AND st.id = s.principal_id AND st.disabled <> 0) \
     AND NOT EXISTS (SELECT 1 FROM applicants ap WHERE s.principal_kind = 'applicant' AND ap.id = s.principal_id AND ap.disabled <> 0)";

pub(super) async fn live(
    pool: &sqlx::Pool<Db>,
    token_hash: &str,
    now: i64,
) -> StoreResult<Option<SessionRecord>> {
    let sql = format!("SELECT s.* FROM sessions s WHERE s.token_hash = $1 AND {LIVE}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(token_hash.to_owned())
        .bind(now)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(session_from_row).transpose()
}

pub(super) async fn of_principal(
    pool: &sqlx::Pool<Db>,
    kind: PrincipalKind,
    id: i64,
    now: i64,
) -> StoreResult<Vec<SessionRecord>> {
    let sql = format!(
        "SELECT s.* FROM sessions s WHERE s.principal_kind = $1 AND s.principal_id = $3 AND {LIVE} ORDER BY s.created_at DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(kind.as_str())
        .bind(now)
        .bind(id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(session_from_row).collect()
}

pub(super) async fn revoke(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    token_hash: &str,
) -> StoreResult<()> {
    let row = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING principal_kind, principal_id",
    )
    .bind(ctx.at_micros)
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Err(StoreError::NotFound("session".to_owned()));
    };
    let kind: String = row.try_get(0)?;
    let id: i64 = row.try_get(1)?;
    audit::append(
        tx,
        ctx,
        "auth.session_revoked",
        &format!("{kind}:{id}"),
        json!({ "session": &token_hash[..12.min(token_hash.len())] }),
    )
    .await?;
    Ok(())
}

pub(super) async fn revoke_all(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    kind: PrincipalKind,
    id: i64,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE principal_kind = $2 AND principal_id = $3 AND revoked_at IS NULL",
    )
    .bind(ctx.at_micros)
    .bind(kind.as_str())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
