//! The SQLite engine: the embedded default.
//!
//! Durability and concurrency settings: WAL journal, `synchronous=FULL`
//! (an acknowledged commit survives power loss), foreign keys on, a busy
//! timeout, and every write transaction started with `BEGIN IMMEDIATE` so
//! that concurrent writers queue for the lock instead of failing with
//! "database is locked" on upgrade.

mod idioms;
// The same portable module is compiled into both engine modules on purpose:
// each copy is type-checked against its own engine's concrete sqlx types.
#[allow(clippy::duplicate_mod)]
#[path = "../portable/mod.rs"]
mod portable;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{StoreError, StoreResult};

/// The engine's sqlx database type, used by the portable operations.
type Db = sqlx::Sqlite;

/// A OneTrip store on a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: sqlx::Pool<Db>,
}

/// The store type the portable operations are implemented for.
type EngineStore = SqliteStore;

impl SqliteStore {
    /// Opens (creating if missing) the database at `url`, which may be a
    /// `sqlite:` URL or a plain file path.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        let url = if url.starts_with("sqlite:") {
            url.to_owned()
        } else {
            format!("sqlite://{url}")
        };
        let options = SqliteConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Config(format!("database.url: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections.max(1))
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    /// The underlying pool (for benchmarks measuring the raw engine).
    pub fn pool(&self) -> &sqlx::Pool<Db> {
        &self.pool
    }
}
