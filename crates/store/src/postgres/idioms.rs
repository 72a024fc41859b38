//! What PostgreSQL does differently from SQLite.

use sqlx::Transaction;

use super::Db;
use crate::{Engine, StoreResult};

/// Which engine these idioms belong to.
pub(super) const ENGINE: Engine = Engine::Postgres;
use crate::tables::TABLES;

/// Starts a write transaction (READ COMMITTED; conflicts are resolved by
/// conditional updates, unique constraints and the audit-head row lock).
pub(super) async fn begin_write(pool: &sqlx::Pool<Db>) -> StoreResult<Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

/// Starts a read-only transaction on one consistent snapshot.
pub(super) async fn begin_read(pool: &sqlx::Pool<Db>) -> StoreResult<Transaction<'static, Db>> {
    Ok(pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?)
}

/// Locks the audit head so that appenders queue; after the wait the newest
/// committed head is returned.
pub(super) const AUDIT_HEAD_FOR_UPDATE: &str =
    "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";

/// Lists `(table, column, type)` for the schema-agreement check.
pub(super) const DESCRIBE_SCHEMA: &str = "SELECT table_name::text, column_name::text, data_type::text \
     FROM information_schema.columns WHERE table_schema = current_schema() \
     AND table_name <> '_sqlx_migrations' ORDER BY table_name, ordinal_position";

/// Maps an engine type name to the normalised one.
pub(super) fn normalise_type(t: &str) -> String {
    match t {
        "bigint" | "integer" => "int".to_owned(),
        other => other.to_owned(),
    }
}

/// Moves identity sequences past the restored ids.
pub(super) async fn after_restore(tx: &mut Transaction<'_, Db>) -> StoreResult<()> {
    for table in TABLES {
        if let Some(column) = table.identity {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), COALESCE((SELECT MAX({1}) FROM {0}), 0) + 1, false)",
                table.name, column
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Applies the PostgreSQL migrations.
pub(super) async fn migrate(pool: &sqlx::Pool<Db>) -> StoreResult<()> {
    sqlx::migrate!("./migrations/postgres").run(pool).await?;
    Ok(())
}

/// Locks one case row for the rest of the write transaction.
pub(super) const LOCK_CASE: &str = "SELECT id FROM cases WHERE id = $1 FOR UPDATE";

/// Picks due outbox rows, skipping rows another worker has locked.
pub(super) const PICK_OUTBOX: &str = "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
     AND claimed_until < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED";

/// Suffix that locks the selected rows until the write transaction ends.
pub(super) const FOR_UPDATE: &str = " FOR UPDATE";

/// Wakes the live boards of every instance: delivered to `LISTEN
/// onetrip_hall` sessions when the transaction commits.
pub(super) const NOTIFY_HALL: Option<&str> = Some("SELECT pg_notify('onetrip_hall', $1)");

/// Listens for hall notifications on a dedicated connection and forwards
/// each payload (`centre/hall`). `PgListener` reconnects by itself when the
/// connection drops; events written meanwhile are read from the table by
/// the boards' catch-up, so nothing is lost.
pub(super) async fn hall_wakeups(
    pool: &sqlx::Pool<Db>,
) -> StoreResult<Option<tokio::sync::mpsc::Receiver<String>>> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen("onetrip_hall").await?;
    let (tx, rx) = tokio::sync::mpsc::channel(1024);
    tokio::spawn(async move {
        loop {
            match listener.recv().await {
                Ok(n) => {
                    if tx.send(n.payload().to_owned()).await.is_err() {
                        break;
                    }
                }
                Err(_) if tx.is_closed() => break,
                Err(e) => {
                    tracing::warn!(error = %e, "hall listener lost its connection; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(Some(rx))
}
