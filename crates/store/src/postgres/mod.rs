//! The PostgreSQL engine: production.
//!
//! Write transactions run at READ COMMITTED; the audit chain's head row is
//! locked `FOR UPDATE` so that appends are serialised across connections and
//! server instances. Snapshots for backup use REPEATABLE READ, READ ONLY.

mod idioms;
// The same portable module is compiled into both engine modules on purpose:
// each copy is type-checked against its own engine's concrete sqlx types.
#[allow(clippy::duplicate_mod)]
#[path = "../portable/mod.rs"]
mod portable;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::{StoreError, StoreResult};

/// The engine's sqlx database type, used by the portable operations.
type Db = sqlx::Postgres;

/// A OneTrip store on PostgreSQL.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: sqlx::Pool<Db>,
}

/// The store type the portable operations are implemented for.
type EngineStore = PgStore;

impl PgStore {
    /// Connects to the database at `url`.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("database.url: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    /// The underlying pool (for benchmarks measuring the raw engine).
    pub fn pool(&self) -> &sqlx::Pool<Db> {
        &self.pool
    }
}
