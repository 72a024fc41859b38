//! Test harness: an `App` on a fresh SQLite file, and on a fresh PostgreSQL
//! database when `ONETRIP_TEST_PG_URL` is set (unreachable PostgreSQL fails
//! the test rather than skipping it).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use onetrip_app::{App, Config, SystemClock};
use sqlx::Connection;

/// One engine under test with its own directory.
pub struct TestEnv {
    pub name: &'static str,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn config(&self) -> Config {
        config_in(self.dir.path(), &self.url)
    }

    pub async fn app(&self) -> App {
        App::open(self.config(), Arc::new(SystemClock))
            .await
            .expect("open app")
    }

    /// Runs raw SQL against the engine's database (to tamper with it).
    pub async fn exec(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        if self.url.starts_with("postgres") {
            let mut c = sqlx::PgConnection::connect(&self.url)
                .await
                .expect("pg connect");
            sqlx::raw_sql(sql).execute(&mut c).await.expect("pg exec");
        } else {
            let mut c = sqlx::SqliteConnection::connect(&self.url)
                .await
                .expect("sqlite connect");
            sqlx::raw_sql(sql)
                .execute(&mut c)
                .await
                .expect("sqlite exec");
        }
    }
}

pub fn config_in(dir: &std::path::Path, url: &str) -> Config {
    let mut config = Config::default();
    config.database.url = url.to_owned();
    config.database.max_connections = 4;
    config.storage.data_dir = dir.join("data");
    config.audit.signing_key_file = dir.join("keys/audit.key");
    config.audit.checkpoint_file = dir.join("data/checkpoints.jsonl");
    config
}

/// A fresh PostgreSQL database URL, created from `ONETRIP_TEST_PG_URL`.
pub async fn fresh_pg_url(base: &str) -> String {
    let mut bytes = [0u8; 6];
    getrandom_fill(&mut bytes);
    let name = format!("onetrip_t_{}", hex_string(&bytes));
    let mut c = sqlx::PgConnection::connect(base)
        .await
        .expect("ONETRIP_TEST_PG_URL is set but PostgreSQL is unreachable");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut c)
        .await
        .expect("create database");
    let mut url = url::Url::parse(base).expect("ONETRIP_TEST_PG_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn getrandom_fill(buf: &mut [u8]) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let mix =
        (nanos as u64) ^ (n.wrapping_mul(0x9E37_79B9_7F4A_7C15)) ^ u64::from(std::process::id());
    for (i, b) in buf.iter_mut().enumerate() {
        *b = (mix >> ((i % 8) * 8)) as u8;
    }
}

fn hex_string(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// SQLite always; PostgreSQL too when `ONETRIP_TEST_PG_URL` is set.
pub async fn envs() -> Vec<TestEnv> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
    out.push(TestEnv {
        name: "sqlite",
        url,
        dir,
    });
    if let Ok(base) = std::env::var("ONETRIP_TEST_PG_URL") {
        let url = fresh_pg_url(&base).await;
        out.push(TestEnv {
            name: "postgres",
            url,
            dir: tempfile::tempdir().expect("tempdir"),
        });
    }
    out
}
