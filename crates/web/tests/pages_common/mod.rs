//! In-process client for page tests: the real router, cookies kept, CSRF
//! tokens read from the served forms.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use onetrip_app::{App, Config, SystemClock};
use onetrip_web::{AppState, router};
use sqlx::Connection;
use tower::ServiceExt;

/// A served page.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// Texts of every element matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }

    /// The value of `name="csrf_token"` in the first form.
    pub fn csrf(&self) -> String {
        let sel = scraper::Selector::parse("input[name=csrf_token]").expect("selector");
        self.html()
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_default()
            .to_owned()
    }
}

/// A browser-like client over the router.
pub struct Client {
    pub router: Router,
    pub cookies: BTreeMap<String, String>,
    pub app: Arc<App>,
    _dir: Arc<tempfile::TempDir>,
}

impl Client {
    /// A second browser on the same server (its own cookies).
    pub fn another(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: BTreeMap::new(),
            app: Arc::clone(&self.app),
            _dir: Arc::clone(&self._dir),
        }
    }
}

impl Client {
    pub async fn send(&mut self, request: Request<Body>) -> Page {
        let mut request = request;
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().expect("cookie header"));
        }
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        for v in response.headers().get_all(header::SET_COOKIE) {
            let text = v.to_str().expect("ascii cookie");
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((k, val)) = pair.split_once('=') {
                if val.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), val.to_owned());
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    /// Signs in through the form.
    pub async fn sign_in(&mut self, kind: &str, username: &str, password: &str) -> Page {
        let csrf = self.get("/login").await.csrf();
        self.post_form(
            "/login",
            &[
                ("kind", kind),
                ("username", username),
                ("password", password),
                ("csrf_token", &csrf),
                ("next", "/account"),
            ],
        )
        .await
    }
}

async fn fresh_pg(base: &str) -> String {
    let name = format!(
        "onetrip_t_{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let mut c = sqlx::PgConnection::connect(base)
        .await
        .expect("ONETRIP_TEST_PG_URL is set but PostgreSQL is unreachable");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut c)
        .await
        .expect("create database");
    let mut url = url::Url::parse(base).expect("url");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Database URLs to test: SQLite, and PostgreSQL when `ONETRIP_TEST_PG_URL` is set.
pub async fn engine_urls(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let mut out = vec![(
        "sqlite",
        format!("sqlite://{}/t.db?mode=rwc", dir.display()),
    )];
    if let Ok(base) = std::env::var("ONETRIP_TEST_PG_URL") {
        out.push(("postgres", fresh_pg(&base).await));
    }
    out
}

/// A client over a fresh demo database at `url` (SQLite when `None`).
pub async fn demo_client_on(url: Option<String>) -> Client {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = Config::default();
    config.database.url =
        url.unwrap_or_else(|| format!("sqlite://{}/t.db?mode=rwc", dir.path().display()));
    config.storage.data_dir = dir.path().join("data");
    config.audit.signing_key_file = dir.path().join("keys/audit.key");
    config.audit.checkpoint_file = dir.path().join("data/checkpoints.jsonl");
    let app = App::open(config, Arc::new(SystemClock))
        .await
        .expect("open");
    app.load_demo().await.expect("demo");
    let app = Arc::new(app);
    Client {
        router: router(AppState::new(Arc::clone(&app))),
        cookies: BTreeMap::new(),
        app,
        _dir: Arc::new(dir),
    }
}

/// A client over a fresh SQLite demo database.
pub async fn demo_client() -> Client {
    demo_client_on(None).await
}
