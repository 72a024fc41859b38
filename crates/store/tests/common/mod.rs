//! The conformance harness: every test body runs once per engine.
//!
//! SQLite always runs, on a fresh file in a temporary directory. PostgreSQL
//! runs when `ONETRIP_TEST_PG_URL` names a server: each test gets a fresh
//! database `onetrip_t_<random hex>` created from that URL and dropped
//! afterwards. When the variable is set but the server cannot be reached the
//! test fails; it never silently skips the engine CI asked for.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod cases;
pub mod hall;
pub mod sharing;

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use onetrip_domain::FieldError;
use onetrip_domain::access::{AccessError, EmploymentType};
use onetrip_domain::audit::{AuditEntry, ChainVerifier, GENESIS_HASH};
use onetrip_domain::catalogue::CatalogueDocument;
use onetrip_store::{Ctx, NewStaff, PrincipalKind, SessionRecord, Store, StoreError, StoreResult};
use sqlx::Connection;

/// The environment variable naming the PostgreSQL server to test against.
pub const PG_URL_VAR: &str = "ONETRIP_TEST_PG_URL";

/// The demo catalogue, valid `onetrip-catalogue/1` data.
pub const DEMO: &str = include_str!("../../../../demo/catalogue.json");

/// 2026-01-01T00:00:00Z in microseconds: tests use realistic clocks.
pub const T0: i64 = 1_767_225_600_000_000;

/// One second in microseconds.
pub const SECOND: i64 = 1_000_000;

/// An engine under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL at `ONETRIP_TEST_PG_URL`.
    Postgres,
}

impl Kind {
    /// Name used in failure messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }

    /// The engine the store should report.
    pub fn engine(self) -> onetrip_store::Engine {
        match self {
            Self::Sqlite => onetrip_store::Engine::Sqlite,
            Self::Postgres => onetrip_store::Engine::Postgres,
        }
    }
}

/// The PostgreSQL base URL, when configured.
pub fn pg_url() -> Option<String> {
    std::env::var(PG_URL_VAR)
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// The engines every conformance test runs on.
pub fn kinds() -> Vec<Kind> {
    let mut kinds = vec![Kind::Sqlite];
    if pg_url().is_some() {
        kinds.push(Kind::Postgres);
    }
    kinds
}

/// What to remove when a test is done with a database.
#[derive(Debug)]
enum Cleanup {
    /// The SQLite file's directory; removed on drop.
    Dir(tempfile::TempDir),
    /// A PostgreSQL database to drop, and the server URL to drop it from.
    Pg { base: String, name: String },
}

/// The URL without its password, for messages.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "<unparsable URL>".to_owned(),
    }
}

/// Databases opened by one test, removed when it ends.
#[derive(Debug, Default)]
pub struct Registry {
    opened: Mutex<Vec<Cleanup>>,
}

impl Registry {
    /// Opens a fresh, migrated store of `kind`.
    pub async fn open(&self, kind: Kind) -> Arc<dyn Store> {
        let (store, cleanup) = match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
                let store = onetrip_store::connect(&url, 4)
                    .await
                    .expect("open SQLite store");
                (store, Cleanup::Dir(dir))
            }
            Kind::Postgres => {
                let base = pg_url().expect("ONETRIP_TEST_PG_URL is set");
                let name = random_db_name();
                let mut admin = sqlx::PgConnection::connect(&base)
                    .await
                    .unwrap_or_else(|e| {
                        panic!(
                            "{PG_URL_VAR} is set to {} but PostgreSQL is unreachable: {e}",
                            redacted(&base)
                        )
                    });
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .unwrap_or_else(|e| panic!("CREATE DATABASE {name} failed: {e}"));
                let _ = admin.close().await;
                // Register before connecting so that the database is dropped even if connecting fails.
                self.opened
                    .lock()
                    .expect("registry lock")
                    .push(Cleanup::Pg {
                        base: base.clone(),
                        name: name.clone(),
                    });
                let mut url = url::Url::parse(&base)
                    .unwrap_or_else(|e| panic!("{PG_URL_VAR} is not a URL: {e}"));
                url.set_path(&format!("/{name}"));
                let store = onetrip_store::connect(url.as_str(), 8)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("connecting to the test database {name} failed: {e}")
                    });
                store
                    .migrate()
                    .await
                    .unwrap_or_else(|e| panic!("[postgres] migrate failed: {e}"));
                return store;
            }
        };
        self.opened.lock().expect("registry lock").push(cleanup);
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("[{}] migrate failed: {e}", kind.name()));
        store
    }

    /// Removes every database this registry opened (best effort).
    pub async fn close_all(&self) {
        let opened: Vec<Cleanup> = std::mem::take(&mut *self.opened.lock().expect("registry lock"));
        for c in opened {
            match c {
                Cleanup::Dir(dir) => drop(dir),
                Cleanup::Pg { base, name } => {
                    // A fresh connection: the store's pool may still hold connections,
                    // which FORCE terminates.
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&base).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(sql))
                            .execute(&mut admin)
                            .await
                        {
                            eprintln!("note: could not drop test database {name}: {e}");
                        }
                        let _ = admin.close().await;
                    }
                }
            }
        }
    }
}

fn random_db_name() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("random bytes");
    format!("onetrip_t_{}", hex::encode(bytes))
}

/// What a test body gets: the store under test, which engine it is, and a
/// way to open more fresh stores (cleaned up with the first).
#[derive(Debug, Clone)]
pub struct Env {
    /// A fresh, migrated store.
    pub store: Arc<dyn Store>,
    /// Its engine.
    pub kind: Kind,
    registry: Arc<Registry>,
}

impl Env {
    /// Another fresh, migrated store of the same engine.
    pub async fn fresh(&self) -> Arc<dyn Store> {
        self.registry.open(self.kind).await
    }

    /// A fresh, migrated store of the given engine.
    pub async fn fresh_of(&self, kind: Kind) -> Arc<dyn Store> {
        self.registry.open(kind).await
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-text panic)".to_owned()
    }
}

/// Runs a future on its own task and turns a panic into its message.
async fn catch<T: Send + 'static>(
    fut: impl Future<Output = T> + Send + 'static,
) -> Result<T, String> {
    match tokio::spawn(fut).await {
        Ok(v) => Ok(v),
        Err(e) if e.is_panic() => Err(panic_text(&*e.into_panic())),
        Err(e) => Err(format!("test task failed: {e}")),
    }
}

/// Runs `body` with a registry of databases and removes them afterwards,
/// whether the body passed or panicked. Returns the panic message, if any.
pub async fn scoped<F, Fut>(body: F) -> Result<(), String>
where
    F: FnOnce(Arc<Registry>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let registry = Arc::new(Registry::default());
    let outcome = catch(body(registry.clone())).await;
    registry.close_all().await;
    outcome
}

/// Runs the test body once on every engine (each with fresh databases) and
/// fails naming every engine on which it failed.
pub async fn for_each_engine<F, Fut>(test: F)
where
    F: Fn(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut failures = Vec::new();
    for kind in kinds() {
        let registry = Arc::new(Registry::default());
        let opening = registry.clone();
        let outcome = match catch(async move { opening.open(kind).await }).await {
            Ok(store) if store.engine() != kind.engine() => {
                Err(format!("connected to {:?}", store.engine()))
            }
            Ok(store) => {
                catch(test(Env {
                    store,
                    kind,
                    registry: registry.clone(),
                }))
                .await
            }
            Err(msg) => Err(msg),
        };
        registry.close_all().await;
        if let Err(msg) = outcome {
            eprintln!(
                "=== conformance test FAILED on engine {}: {msg}",
                kind.name()
            );
            failures.push(format!("[{}] {msg}", kind.name()));
        }
    }
    assert!(
        failures.is_empty(),
        "failed on {} engine(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Clock and fixtures
// ---------------------------------------------------------------------------

/// A strictly increasing test clock, one second per tick.
#[derive(Debug)]
pub struct Clock(AtomicI64);

impl Default for Clock {
    fn default() -> Self {
        Self(AtomicI64::new(T0))
    }
}

impl Clock {
    /// A clock at [`T0`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Advances one second and returns the new time.
    pub fn tick(&self) -> i64 {
        self.0.fetch_add(SECOND, Ordering::SeqCst) + SECOND
    }

    /// Advances by `micros` and returns the new time.
    pub fn advance(&self, micros: i64) -> i64 {
        self.0.fetch_add(micros, Ordering::SeqCst) + micros
    }

    /// The current time without advancing.
    pub fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    /// A context for actor `test` at the next tick.
    pub fn ctx(&self) -> Ctx {
        Ctx::new("test", self.tick())
    }
}

/// The demo catalogue document.
pub fn demo_doc() -> CatalogueDocument {
    serde_json::from_str(DEMO).expect("demo/catalogue.json deserialises")
}

/// A staff account input with a placeholder hash.
pub fn new_staff(username: &str, employment: EmploymentType) -> NewStaff {
    NewStaff {
        username: username.to_owned(),
        display_name: format!("Display {username}"),
        employment,
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$hash-of-{username}"),
    }
}

/// A 64-hex-digit token hash derived from `n`.
pub fn token_hash(n: u64) -> String {
    format!("{n:064x}")
}

/// A session record for a principal, valid for `ttl` microseconds from `created`.
pub fn session(
    n: u64,
    kind: PrincipalKind,
    principal_id: i64,
    created: i64,
    ttl: i64,
) -> SessionRecord {
    SessionRecord {
        token_hash: token_hash(n),
        kind,
        principal_id,
        csrf_token: format!("csrf-{n}"),
        created_at_micros: created,
        expires_at_micros: created + ttl,
        ip: Some("192.0.2.7".to_owned()),
        user_agent: Some("conformance-test".to_owned()),
    }
}

// ---------------------------------------------------------------------------
// Error expectations
// ---------------------------------------------------------------------------

/// The field errors of an `Invalid` result; fails on anything else.
#[track_caller]
pub fn invalid<T: Debug>(r: StoreResult<T>) -> Vec<FieldError> {
    match r {
        Err(StoreError::Invalid(e)) => e.errors,
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

/// The field paths of an `Invalid` result, as a set.
#[track_caller]
pub fn invalid_fields<T: Debug>(r: StoreResult<T>) -> BTreeSet<String> {
    invalid(r).into_iter().map(|e| e.field).collect()
}

/// Fails unless the result is a `Conflict`.
#[track_caller]
pub fn assert_conflict<T: Debug>(r: StoreResult<T>) {
    match r {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("expected StoreError::Conflict, got {other:?}"),
    }
}

/// Fails unless the result is `NotFound`.
#[track_caller]
pub fn assert_not_found<T: Debug>(r: StoreResult<T>) {
    match r {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("expected StoreError::NotFound, got {other:?}"),
    }
}

/// Fails unless the result is `Forbidden` because a core permission would
/// reach contractor staff; returns the permission named.
#[track_caller]
pub fn assert_core_forbidden<T: Debug>(r: StoreResult<T>) -> &'static str {
    match r {
        Err(StoreError::Forbidden(AccessError::CoreToContractor { permission })) => permission,
        other => panic!("expected StoreError::Forbidden(CoreToContractor), got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Audit
// ---------------------------------------------------------------------------

/// Reads the whole chain, verifies it with [`ChainVerifier`] and checks that
/// the head names its last entry.
pub async fn verified_chain(store: &dyn Store) -> Vec<AuditEntry> {
    let entries = store.audit_entries(0, 10_000).await.expect("audit_entries");
    let mut verifier = ChainVerifier::new();
    for e in &entries {
        if let Err(problem) = verifier.feed(e) {
            panic!("audit chain does not verify: {}", problem.describe());
        }
    }
    let (seq, hash) = store.audit_head().await.expect("audit_head");
    assert_eq!(
        seq,
        verifier.last_seq(),
        "audit head seq differs from the last entry"
    );
    let last_hash = entries
        .last()
        .map_or(GENESIS_HASH.to_owned(), |e| e.hash.clone());
    assert_eq!(
        hash, last_hash,
        "audit head hash differs from the last entry's hash"
    );
    entries
}

/// Follows the audit chain so a test can state exactly what each call appended.
#[derive(Debug)]
pub struct AuditCursor {
    seq: i64,
}

impl AuditCursor {
    /// A cursor at the current head.
    pub async fn new(store: &dyn Store) -> Self {
        Self {
            seq: store.audit_head().await.expect("audit_head").0,
        }
    }

    /// Asserts that exactly `actions` were appended since the last check,
    /// in order, and returns those entries.
    #[track_caller]
    pub fn expect<'a>(
        &'a mut self,
        store: &'a dyn Store,
        actions: &'a [&'a str],
    ) -> impl Future<Output = Vec<AuditEntry>> + 'a {
        let caller = std::panic::Location::caller();
        async move {
            let entries = store
                .audit_entries(self.seq, 10_000)
                .await
                .expect("audit_entries");
            let got: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
            assert_eq!(got, actions, "audit entries appended (checked at {caller})");
            for (i, e) in entries.iter().enumerate() {
                assert_eq!(
                    e.seq,
                    self.seq + 1 + i as i64,
                    "audit seqs are gap-free (checked at {caller})"
                );
            }
            if let Some(last) = entries.last() {
                self.seq = last.seq;
            }
            entries
        }
    }

    /// Asserts that nothing was appended since the last check.
    #[track_caller]
    pub fn expect_none<'a>(&'a mut self, store: &'a dyn Store) -> impl Future<Output = ()> + 'a {
        let check = self.expect(store, &[]);
        async move {
            check.await;
        }
    }
}
