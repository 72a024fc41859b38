//! The in-process test application for the JSON API tests.
//!
//! Every test builds a fresh application with the demo data and sends
//! requests through the real router with `tower::ServiceExt::oneshot`.
//! SQLite always runs, on a file in a temporary directory. PostgreSQL runs
//! too when `ONETRIP_TEST_PG_URL` names a server: each test gets a fresh
//! database `onetrip_t_<random hex>`, dropped afterwards. When the variable
//! is set but the server cannot be reached, the test fails.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use onetrip_app::{App, Clock, ManualClock, SystemClock};
use onetrip_web::AppState;
use serde_json::Value;
use sqlx::Connection;
use tower::ServiceExt;

/// The environment variable naming the PostgreSQL server to test against.
pub const PG_URL_VAR: &str = "ONETRIP_TEST_PG_URL";

/// Demo accounts.
pub const ADMIN: (&str, &str) = ("admin", "Demo-admin-2026");
/// The contractor front-desk helper.
pub const HELPER: (&str, &str) = ("wangfang", "Demo-helper-2026");
/// An approval officer (civil servant).
pub const OFFICER: (&str, &str) = ("liqiang", "Demo-officer-2026");
/// A catalogue editor (no publishing).
pub const EDITOR: (&str, &str) = ("chenjing", "Demo-editor-2026");

/// An engine to run a test on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server at this base URL.
    Postgres(String),
}

impl Engine {
    /// Name for failure messages.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// The engines the key tests run on: SQLite, and PostgreSQL when configured.
pub fn engines() -> Vec<Engine> {
    let mut out = vec![Engine::Sqlite];
    if let Ok(url) = std::env::var(PG_URL_VAR)
        && !url.trim().is_empty()
    {
        out.push(Engine::Postgres(url.trim().to_owned()));
    }
    out
}

/// A running test application.
#[derive(Debug, Clone)]
pub struct TestApp {
    /// The application behind the router.
    pub app: Arc<App>,
    /// The real router.
    pub router: Router,
    /// Which engine.
    pub engine: &'static str,
    /// The clock, when the test controls time.
    pub clock: Option<Arc<ManualClock>>,
}

/// A response, fully read.
#[derive(Debug)]
pub struct Resp {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Resp {
    /// The body as JSON (panics with the body text otherwise).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `Content-Type`.
    pub fn content_type(&self) -> String {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text()
        );
        self
    }

    /// Asserts a problem body with this status and code, and returns it.
    #[track_caller]
    pub fn problem(self, status: u16, code: &str) -> Value {
        let resp = self.expect(status);
        assert!(
            resp.content_type().starts_with("application/problem+json"),
            "not a problem body: {} {}",
            resp.content_type(),
            resp.text()
        );
        let body = resp.json();
        assert_eq!(body["status"], status, "{body}");
        assert_eq!(body["code"], code, "{body}");
        assert!(
            body["operation_id"].as_str().is_some_and(|s| !s.is_empty()),
            "{body}"
        );
        body
    }
}

/// The field names listed in a problem body.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// No credentials.
    None,
    /// `Authorization: Bearer`.
    Bearer(&'a str),
    /// The session cookie, with an optional `X-CSRF-Token`.
    Cookie(&'a str, Option<&'a str>),
}

/// A signed-in API client.
#[derive(Debug, Clone)]
pub struct Login {
    /// Bearer token.
    pub token: String,
    /// CSRF token of the session.
    pub csrf: String,
    /// The principal's id.
    pub id: i64,
}

impl Login {
    /// As bearer credentials.
    pub fn bearer(&self) -> Auth<'_> {
        Auth::Bearer(&self.token)
    }
}

impl TestApp {
    /// Sends a request built by the caller.
    pub async fn call(&self, request: Request<Body>) -> Resp {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .expect("read the response body")
            .to_bytes()
            .to_vec();
        Resp {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    /// Sends a request with an optional raw body.
    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        auth: Auth<'_>,
        body: Option<Vec<u8>>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(uri);
        match auth {
            Auth::None => {}
            Auth::Bearer(t) => b = b.header(AUTHORIZATION, format!("Bearer {t}")),
            Auth::Cookie(t, csrf) => {
                b = b.header(COOKIE, format!("onetrip_session={t}"));
                if let Some(c) = csrf {
                    b = b.header("x-csrf-token", c);
                }
            }
        }
        let body = match body {
            Some(bytes) => {
                b = b.header(CONTENT_TYPE, "application/json");
                Body::from(bytes)
            }
            None => Body::empty(),
        };
        self.call(b.body(body).expect("a valid request")).await
    }

    /// Sends a request with a JSON body.
    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        auth: Auth<'_>,
        body: Option<&Value>,
    ) -> Resp {
        let bytes = body.map(|v| serde_json::to_vec(v).expect("serialise the body"));
        self.raw(method, uri, auth, bytes).await
    }

    /// `GET` without credentials.
    pub async fn get(&self, uri: &str) -> Resp {
        self.send(Method::GET, uri, Auth::None, None).await
    }

    /// `GET` with credentials.
    pub async fn get_as(&self, uri: &str, auth: Auth<'_>) -> Resp {
        self.send(Method::GET, uri, auth, None).await
    }

    /// Signs in through the API.
    pub async fn login_as(&self, kind: &str, username: &str, password: &str) -> Login {
        let body = serde_json::json!({ "kind": kind, "username": username, "password": password });
        let resp = self
            .send(Method::POST, "/api/v1/sessions", Auth::None, Some(&body))
            .await
            .expect(201);
        let v = resp.json();
        Login {
            token: v["token"].as_str().expect("token").to_owned(),
            csrf: v["csrf_token"].as_str().expect("csrf_token").to_owned(),
            id: v["principal"]["id"].as_i64().expect("principal id"),
        }
    }

    /// Signs a staff member in through the API.
    pub async fn login(&self, who: (&str, &str)) -> Login {
        self.login_as("staff", who.0, who.1).await
    }

    /// The id of a staff member by login name.
    pub async fn staff_id(&self, username: &str) -> i64 {
        self.app
            .store
            .staff_by_username(username)
            .await
            .expect("store answers")
            .unwrap_or_else(|| panic!("no staff {username}"))
            .id
    }

    /// Number of item versions of every status.
    pub async fn version_count(&self) -> usize {
        let doc = self
            .app
            .store
            .export_catalogue(&onetrip_store::Ctx::new("test", 0))
            .await
            .expect("export");
        doc.items.len()
    }
}

/// What to clean up after a test.
struct Held {
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

fn random_hex() -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("random bytes");
    hex::encode(b)
}

async fn build(engine: &Engine, clock: Option<Arc<ManualClock>>) -> (TestApp, Held) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut config = onetrip_app::Config::default();
    let mut pg = None;
    config.database.url = match engine {
        Engine::Sqlite => format!("sqlite://{}/t.db?mode=rwc", dir.path().display()),
        Engine::Postgres(base) => {
            let name = format!("onetrip_t_{}", random_hex());
            let mut admin = sqlx::PgConnection::connect(base).await.unwrap_or_else(|e| {
                panic!("{PG_URL_VAR} is set but PostgreSQL is unreachable: {e}")
            });
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .unwrap_or_else(|e| panic!("CREATE DATABASE {name} failed: {e}"));
            let _ = admin.close().await;
            let mut url =
                url::Url::parse(base).unwrap_or_else(|e| panic!("{PG_URL_VAR} is not a URL: {e}"));
            url.set_path(&format!("/{name}"));
            pg = Some((base.clone(), name));
            url.to_string()
        }
    };
    config.storage.data_dir = dir.path().join("data");
    config.audit.signing_key_file = dir.path().join("keys/audit.key");
    config.audit.checkpoint_file = dir.path().join("data/checkpoints.jsonl");
    let held = Held { _dir: dir, pg };
    let app_clock: Arc<dyn Clock> = match &clock {
        Some(c) => c.clone(),
        None => Arc::new(SystemClock),
    };
    let app = App::open(config, app_clock)
        .await
        .unwrap_or_else(|e| panic!("[{}] App::open failed: {e}", engine.name()));
    app.load_demo()
        .await
        .unwrap_or_else(|e| panic!("[{}] load_demo failed: {e}", engine.name()));
    let app = Arc::new(app);
    let router = onetrip_web::router(AppState::new(app.clone()));
    (
        TestApp {
            app,
            router,
            engine: engine.name(),
            clock,
        },
        held,
    )
}

async fn cleanup(held: Held) {
    if let Some((base, name)) = held.pg
        && let Ok(mut admin) = sqlx::PgConnection::connect(&base).await
    {
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

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-text panic)".to_owned()
    }
}

/// Runs `test` on a fresh application of `engine`, removing its database
/// afterwards whether it passed or not; returns the failure, if any.
pub async fn run_on<F, Fut>(engine: &Engine, test: F) -> Result<(), String>
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_on_with(engine, None, test).await
}

/// Like [`run_on`] with a manual clock starting at `start` (microseconds).
pub async fn run_on_with<F, Fut>(engine: &Engine, start: Option<i64>, test: F) -> Result<(), String>
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let clock = start.map(|s| Arc::new(ManualClock::new(s)));
    let (app, held) = build(engine, clock).await;
    let outcome = tokio::spawn(test(app)).await;
    cleanup(held).await;
    match outcome {
        Ok(()) => Ok(()),
        Err(e) if e.is_panic() => Err(panic_text(&*e.into_panic())),
        Err(e) => Err(format!("test task failed: {e}")),
    }
}

/// Runs `test` on SQLite only.
pub async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    if let Err(e) = run_on(&Engine::Sqlite, test).await {
        panic!("[sqlite] {e}");
    }
}

/// Runs `test` once on every engine and fails naming each engine it failed on.
pub async fn on_each_engine<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut failures = Vec::new();
    for engine in engines() {
        if let Err(e) = run_on(&engine, &test).await {
            failures.push(format!("[{}] {e}", engine.name()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs `test` once on every engine with a manual clock starting at `start`.
pub async fn on_each_engine_at<F, Fut>(start: i64, test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut failures = Vec::new();
    for engine in engines() {
        if let Err(e) = run_on_with(&engine, Some(start), &test).await {
            failures.push(format!("[{}] {e}", engine.name()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
