//! What SQLite does differently from PostgreSQL.

use sqlx::Transaction;

use super::Db;
use crate::{Engine, StoreResult};

/// Which engine these idioms belong to.
pub(super) const ENGINE: Engine = Engine::Sqlite;

/// Starts a write transaction holding the write lock from the start.
pub(super) async fn begin_write(pool: &sqlx::Pool<Db>) -> StoreResult<Transaction<'static, Db>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// Starts a read transaction; in WAL mode it sees one consistent snapshot
/// from its first read to its end.
pub(super) async fn begin_read(pool: &sqlx::Pool<Db>) -> StoreResult<Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

/// Reads the audit head. The write lock taken by `BEGIN IMMEDIATE` already
/// serialises appenders.
pub(super) const AUDIT_HEAD_FOR_UPDATE: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";

/// Lists `(table, column, type)` for the schema-agreement check.
pub(super) const DESCRIBE_SCHEMA: &str = "SELECT m.name, p.name, lower(p.type) FROM sqlite_master m \
     JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
     AND m.name <> '_sqlx_migrations' ORDER BY m.name, p.cid";

/// Maps an engine type name to the normalised one.
pub(super) fn normalise_type(t: &str) -> String {
    match t {
        "integer" | "bigint" => "int".to_owned(),
        other => other.to_owned(),
    }
}

/// Nothing to do: SQLite's rowid follows the largest id by itself.
pub(super) async fn after_restore(_tx: &mut Transaction<'_, Db>) -> StoreResult<()> {
    Ok(())
}

/// Applies the SQLite migrations.
pub(super) async fn migrate(pool: &sqlx::Pool<Db>) -> StoreResult<()> {
    sqlx::migrate!("./migrations/sqlite").run(pool).await?;
    Ok(())
}

/// Locks one case row for the rest of the write transaction (the write lock of `BEGIN IMMEDIATE` already does).
pub(super) const LOCK_CASE: &str = "SELECT id FROM cases WHERE id = $1";

/// Picks due outbox rows (writers are serialised by `BEGIN IMMEDIATE`).
pub(super) const PICK_OUTBOX: &str = "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
     AND claimed_until < $1 ORDER BY id LIMIT $2";

/// Suffix that locks the selected rows until the write transaction ends (nothing: `BEGIN IMMEDIATE` holds the database lock).
pub(super) const FOR_UPDATE: &str = "";

/// SQLite has no notifications: boards poll the event table.
pub(super) const NOTIFY_HALL: Option<&str> = None;

/// SQLite has no notifications: `None`, and boards poll the event table.
pub(super) async fn hall_wakeups(
    _pool: &sqlx::Pool<Db>,
) -> StoreResult<Option<tokio::sync::mpsc::Receiver<String>>> {
    Ok(None)
}
