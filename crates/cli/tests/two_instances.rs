//! Two `onetrip serve` processes on one database — PostgreSQL (when
//! `ONETRIP_TEST_PG_URL` is set) and a shared SQLite file: kiosk tickets
//! issued concurrently on both stay unique and gap-free per category and
//! day, windows calling on both never call one ticket twice, and a board
//! connected to one instance hears calls made on the other (on
//! PostgreSQL the board polls too slowly to matter, so only
//! LISTEN/NOTIFY can deliver it in time).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use onetrip_app::{App, Config, SystemClock};
use serde_json::{Value, json};
use sqlx::Connection;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn env_for(dir: &Path, url: &str, poll_ms: u64) -> Vec<(&'static str, String)> {
    vec![
        ("ONETRIP_DATABASE_URL", url.to_owned()),
        (
            "ONETRIP_STORAGE_DATA_DIR",
            dir.join("data").display().to_string(),
        ),
        (
            "ONETRIP_AUDIT_SIGNING_KEY_FILE",
            dir.join("keys/audit.key").display().to_string(),
        ),
        (
            "ONETRIP_AUDIT_CHECKPOINT_FILE",
            dir.join("data/checkpoints.jsonl").display().to_string(),
        ),
        ("ONETRIP_SERVER_BIND", "127.0.0.1:0".to_owned()),
        ("ONETRIP_HALL_BOARD_POLL_MS", poll_ms.to_string()),
    ]
}

fn start(dir: &Path, env: &[(&'static str, String)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onetrip"));
    cmd.current_dir(dir).arg("serve").env("ONETRIP_LOG", "warn");
    for (k, _) in std::env::vars() {
        if k.starts_with("ONETRIP_") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start onetrip serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("serve printed its address")
            .expect("read stdout");
        if let Some(rest) = line.split("serving at ").nth(1) {
            break rest.trim().trim_end_matches('/').to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

fn config(dir: &Path, url: &str) -> Config {
    let mut c = Config::default();
    c.database.url = url.to_owned();
    c.storage.data_dir = dir.join("data");
    c.audit.signing_key_file = dir.join("keys/audit.key");
    c.audit.checkpoint_file = dir.join("data/checkpoints.jsonl");
    c
}

async fn login(http: &reqwest::Client, base: &str, user: &str, password: &str) -> String {
    let v: Value = http
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({"kind": "staff", "username": user, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["token"].as_str().expect("token").to_owned()
}

const HALL: &str = "/api/v1/halls/420100-SMZJ/F1";

async fn exercise(dir: &Path, url: &str, board_poll_ms: u64) {
    {
        let app = App::open(config(dir, url), Arc::new(SystemClock))
            .await
            .unwrap();
        app.load_demo().await.unwrap();
        app.load_demo_hall().await.unwrap();
    }
    let env = env_for(dir, url, board_poll_ms);
    let (a, b) = (start(dir, &env), start(dir, &env));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    // Concurrent kiosk tickets on both instances.
    let mut tasks = Vec::new();
    for n in 0..30 {
        let base = if n % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        let http = http.clone();
        tasks.push(tokio::spawn(async move {
            let cat = if n % 3 == 0 { "A" } else { "D" };
            let r = http
                .post(format!("{base}{HALL}/tickets"))
                .json(&json!({"category": cat}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            let v: Value = r.json().await.unwrap();
            v["number"].as_str().unwrap().to_owned()
        }));
    }
    let mut numbers = BTreeSet::new();
    for t in tasks {
        assert!(numbers.insert(t.await.unwrap()), "duplicate number");
    }
    let expected: BTreeSet<String> = (1..=10)
        .map(|i| format!("A{i:03}"))
        .chain((1..=20).map(|i| format!("D{i:03}")))
        .collect();
    assert_eq!(numbers, expected);
    // Four windows, two per instance, calling concurrently.
    let counters: Value = http
        .get(format!("{}{HALL}/counters", a.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_of = |number: i64| {
        counters
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["number"] == number)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let mut tasks = Vec::new();
    for (i, (user, window)) in [("wangfang", 4), ("zhoujie", 5), ("xuli", 6), ("hemin", 8)]
        .iter()
        .enumerate()
    {
        let base = if i % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        let token = login(&http, &base, user, "Demo-helper-2026").await;
        let r = http
            .post(format!("{base}/api/v1/counters/{}/sign-in", id_of(*window)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let http = http.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let r = http
                    .post(format!("{base}/api/v1/counter/call-next"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                if r.status() == 204 {
                    return mine;
                }
                assert_eq!(r.status(), 200);
                let v: Value = r.json().await.unwrap();
                let r = http
                    .post(format!("{base}/api/v1/hall-tickets/{}/actions", v["id"]))
                    .bearer_auth(&token)
                    .json(&json!({"action": "finish", "outcome": "completed"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                mine.push(v["number"].as_str().unwrap().to_owned());
            }
        }));
    }
    let mut called = Vec::new();
    for t in tasks {
        called.extend(t.await.unwrap());
    }
    assert_eq!(called.len(), 30, "each ticket called once: {called:?}");
    assert_eq!(called.iter().cloned().collect::<BTreeSet<_>>(), expected);
    // A board on instance B hears a call made on instance A.
    let mut board = http
        .get(format!("{}/hall/420100-SMZJ/F1/board/events", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(board.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = http
        .post(format!("{}{HALL}/tickets", a.base))
        .json(&json!({"category": "A"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = login(&http, &a.base, "wangfang", "Demo-helper-2026").await;
    let r = http
        .post(format!("{}/api/v1/counter/call-next", a.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut seen = String::new();
    let heard = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(chunk) = board.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("event: called") && seen.contains("\"ticket_number\":\"A011\"") {
                return;
            }
        }
    })
    .await;
    assert!(
        heard.is_ok(),
        "the board on instance B did not hear the call on A; got:\n{seen}"
    );
}

#[tokio::test]
async fn two_serve_processes_on_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/onetrip.db?mode=rwc", dir.path().display());
    exercise(dir.path(), &url, 200).await;
}

#[tokio::test]
async fn two_serve_processes_on_one_postgresql_database() {
    let Some(base) = std::env::var("ONETRIP_TEST_PG_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    else {
        eprintln!("ONETRIP_TEST_PG_URL not set: the PostgreSQL two-instance test is skipped");
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("onetrip_t_two_{}_{nanos:08x}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .expect("PostgreSQL reachable");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let (scheme, rest) = base.split_once("://").unwrap();
    let authority = rest.split('/').next().unwrap();
    let url = format!("{scheme}://{authority}/{name}");
    let dir = tempfile::tempdir().unwrap();
    let outcome = tokio::spawn({
        let (path, url) = (dir.path().to_path_buf(), url.clone());
        async move { exercise(&path, &url, 60_000).await }
    })
    .await;
    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
