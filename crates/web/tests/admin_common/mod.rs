//! In-process test harness for the admin pages: the demo data on a fresh
//! SQLite file, the real router, and a small browser-like client that keeps
//! cookies, reads CSRF tokens out of forms and submits forms the way a
//! browser would (`application/x-www-form-urlencoded`).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use onetrip_app::{App, Config, SystemClock};
use onetrip_web::AppState;
use scraper::{ElementRef, Html, Selector};
use tower::ServiceExt;

/// Demo accounts.
pub const ADMIN: (&str, &str) = ("admin", "Demo-admin-2026");
pub const HELPER: (&str, &str) = ("wangfang", "Demo-helper-2026");
pub const OFFICER: (&str, &str) = ("liqiang", "Demo-officer-2026");
pub const EDITOR: (&str, &str) = ("chenjing", "Demo-editor-2026");

/// A published demo item in 420100 (Wuhan), statutory 3 days, promised 1.
pub const ITEM: &str = "420100-SCJGJ-XK-001";

/// The application under test.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub app: Arc<App>,
    pub router: Router,
}

impl TestApp {
    /// Opens a fresh database in a temporary directory and loads the demo.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let mut config = Config::default();
        config.database.url = format!("sqlite://{}/t.db?mode=rwc", root.display());
        config.storage.data_dir = root.join("data");
        config.audit.signing_key_file = root.join("keys/audit.key");
        config.audit.checkpoint_file = root.join("data/checkpoints.jsonl");
        let app = App::open(config, Arc::new(SystemClock))
            .await
            .expect("open app");
        app.load_demo().await.expect("load demo");
        let app = Arc::new(app);
        let router = onetrip_web::router(AppState::new(app.clone()));
        Self { dir, app, router }
    }

    /// A client without cookies.
    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: BTreeMap::new(),
        }
    }

    /// A client signed in as a demo staff member.
    pub async fn signed_in(&self, account: (&str, &str)) -> Client {
        let mut c = self.client();
        let r = c.login(account.0, account.1).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {}: {}",
            account.0,
            r.body
        );
        c
    }

    /// The id of a staff account.
    pub async fn staff_id(&self, username: &str) -> i64 {
        self.app
            .store
            .staff_by_username(username)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no staff {username}"))
            .id
    }
}

/// A response, body read.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    /// The parsed document.
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// The `Location` header.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// Text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<String>())
            .collect()
    }

    /// Values of attribute `attr` of every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }

    /// True when something matches `selector`.
    pub fn has(&self, selector: &str) -> bool {
        let sel = Selector::parse(selector).unwrap();
        self.html().select(&sel).next().is_some()
    }

    /// The pairs a browser would submit for the form matching `selector`.
    pub fn form(&self, selector: &str) -> Vec<(String, String)> {
        let doc = self.html();
        let sel = Selector::parse(selector).unwrap();
        let form = doc
            .select(&sel)
            .next()
            .unwrap_or_else(|| panic!("no form {selector} in {}", self.body));
        serialise(form)
    }
}

/// Serialises a form's successful controls in document order.
pub fn serialise(form: ElementRef<'_>) -> Vec<(String, String)> {
    let controls = Selector::parse("input, select, textarea").unwrap();
    let options = Selector::parse("option").unwrap();
    let mut out = Vec::new();
    for c in form.select(&controls) {
        let v = c.value();
        let Some(name) = v.attr("name") else { continue };
        if v.attr("disabled").is_some() {
            continue;
        }
        match v.name() {
            "input" => {
                let kind = v.attr("type").unwrap_or("text");
                match kind {
                    "checkbox" | "radio" => {
                        if v.attr("checked").is_some() {
                            out.push((name.to_owned(), v.attr("value").unwrap_or("on").to_owned()));
                        }
                    }
                    "submit" | "button" | "file" | "image" | "reset" => {}
                    _ => out.push((name.to_owned(), v.attr("value").unwrap_or("").to_owned())),
                }
            }
            "select" => {
                let all: Vec<ElementRef<'_>> = c.select(&options).collect();
                let chosen = all
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or_else(|| all.first());
                if let Some(o) = chosen {
                    let value = o
                        .value()
                        .attr("value")
                        .map(str::to_owned)
                        .unwrap_or_else(|| o.text().collect());
                    out.push((name.to_owned(), value));
                }
            }
            "textarea" => out.push((name.to_owned(), c.text().collect())),
            _ => {}
        }
    }
    out
}

/// Replaces the value of `name` (which must be present).
pub fn set(pairs: &mut [(String, String)], name: &str, value: &str) {
    let p = pairs
        .iter_mut()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    p.1 = value.to_owned();
}

/// The value of `name`.
pub fn get<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no field {name}"))
}

/// Removes every pair named `name`.
pub fn remove(pairs: &mut Vec<(String, String)>, name: &str) {
    pairs.retain(|(k, _)| k != name);
}

/// Owned pairs from string slices.
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A browser-like client over the router.
pub struct Client {
    router: Router,
    cookies: BTreeMap<String, String>,
}

impl Client {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, request: Request<Body>) -> Resp {
        let response = self.router.clone().oneshot(request).await.unwrap();
        for v in response.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let first = v.split(';').next().unwrap_or("");
            if let Some((name, value)) = first.split_once('=') {
                let expired = v.contains("Max-Age=0") || value.is_empty();
                if expired {
                    self.cookies.remove(name.trim());
                } else {
                    self.cookies
                        .insert(name.trim().to_owned(), value.trim().to_owned());
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// True when a session cookie is held.
    pub fn has_session(&self) -> bool {
        self.cookies.contains_key("onetrip_session")
    }

    /// GET a path.
    pub async fn get(&mut self, path: &str) -> Resp {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// POST form pairs as they are (no CSRF token added).
    pub async fn post(&mut self, path: &str, pairs: &[(String, String)]) -> Resp {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// The CSRF token of the first form on `page`.
    pub async fn csrf(&mut self, page: &str) -> String {
        let r = self.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "GET {page}: {}", r.body);
        r.attrs("form input[name=csrf_token]", "value")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no csrf_token on {page}"))
    }

    /// Reads the CSRF token from `page`, then POSTs `pairs` plus the token to `action`.
    pub async fn submit(&mut self, page: &str, action: &str, pairs: &[(&str, &str)]) -> Resp {
        let token = self.csrf(page).await;
        let mut all = self::pairs(pairs);
        all.push(("csrf_token".to_owned(), token));
        self.post(action, &all).await
    }

    /// Signs in as staff.
    pub async fn login(&mut self, username: &str, password: &str) -> Resp {
        self.submit(
            "/login",
            "/login",
            &[
                ("kind", "staff"),
                ("username", username),
                ("password", password),
                ("next", "/admin"),
            ],
        )
        .await
    }
}
