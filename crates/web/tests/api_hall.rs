//! The service hall through the JSON API and the board's event stream, on
//! every engine: kiosk and reception tickets, a window's day, the live
//! feed, two instances on one database, statistics and the planner.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use api_common::{ADMIN, Auth, HELPER, TestApp, on_each_engine};
use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use onetrip_app::{App, SystemClock};
use onetrip_web::AppState;
use serde_json::{Value, json};
use tower::ServiceExt;

const HALL: &str = "/api/v1/halls/420100-SMZJ/F1";

async fn counter_id(t: &TestApp, number: i64) -> i64 {
    let list = t.get(&format!("{HALL}/counters")).await.expect(200).json();
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == number)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Reads server-sent events from `router` until one of `kind` for
/// `ticket` arrives, or fails after `wait`.
async fn await_event(
    router: axum::Router,
    after: i64,
    kind: &str,
    ticket: &str,
    wait: Duration,
) -> Value {
    let request = Request::builder()
        .uri(format!("/hall/420100-SMZJ/F1/board/events?after={after}"))
        .body(Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut body = response.into_body();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let frame = tokio::time::timeout(left, body.frame())
            .await
            .unwrap_or_else(|_| {
                panic!("no {kind} event for {ticket} within {wait:?}; got:\n{text}")
            });
        let Some(Ok(frame)) = frame else {
            panic!("stream ended: {text}")
        };
        if let Some(data) = frame.data_ref() {
            text.push_str(&String::from_utf8_lossy(data));
        }
        for block in text.split("\n\n") {
            if block.contains(&format!("event: {kind}"))
                && let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: "))
            {
                let v: Value = serde_json::from_str(data).unwrap();
                if v["ticket_number"] == ticket {
                    return v;
                }
            }
        }
    }
}

async fn last_event_id(t: &TestApp) -> i64 {
    let events = t
        .get(&format!("{HALL}/events?after=0"))
        .await
        .expect(200)
        .json();
    let mut last = 0;
    let mut after = 0;
    loop {
        let page = if after == 0 {
            events.clone()
        } else {
            t.get(&format!("{HALL}/events?after={after}"))
                .await
                .expect(200)
                .json()
        };
        let list = page.as_array().unwrap();
        if list.is_empty() {
            return last;
        }
        last = list.last().unwrap()["id"].as_i64().unwrap();
        after = last;
    }
}

#[tokio::test]
async fn kiosk_reception_window_day_and_the_live_board() {
    on_each_engine(|t| async move {
        t.app.load_demo_hall().await.unwrap();
        // Kiosk: public, ordinary tickets, bad input named.
        let bad = t
            .send(
                Method::POST,
                &format!("{HALL}/tickets"),
                Auth::None,
                Some(&json!({"category": "A", "phone": "123"})),
            )
            .await
            .problem(422, "invalid_input");
        assert!(api_common::fields(&bad).contains(&"phone".to_owned()));
        let unknown = t
            .send(
                Method::POST,
                &format!("{HALL}/tickets"),
                Auth::None,
                Some(&json!({"category": "Z"})),
            )
            .await
            .problem(422, "invalid_input");
        assert!(api_common::fields(&unknown).contains(&"category".to_owned()));
        let a1 = t
            .send(
                Method::POST,
                &format!("{HALL}/tickets"),
                Auth::None,
                Some(&json!({"category": "A", "phone": "13800138000"})),
            )
            .await
            .expect(201)
            .json();
        assert_eq!(a1["number"], "A001");
        assert_eq!(a1["position"]["ahead"], 0);
        let a2 = t
            .send(
                Method::POST,
                &format!("{HALL}/tickets"),
                Auth::None,
                Some(&json!({"category": "A", "phone": "13800138001"})),
            )
            .await
            .expect(201)
            .json();
        assert_eq!(a2["number"], "A002");
        assert_eq!(a2["position"]["ahead"], 1);
        // Reception: the green channel needs a reason and queue.operate.
        let helper = t.login(HELPER).await;
        let no_reason = t
            .send(
                Method::POST,
                &format!("{HALL}/reception/tickets"),
                helper.bearer(),
                Some(&json!({"category": "A", "priority": "green"})),
            )
            .await
            .problem(422, "invalid_input");
        assert!(api_common::fields(&no_reason).contains(&"green_reason".to_owned()));
        let green = t
            .send(
                Method::POST,
                &format!("{HALL}/reception/tickets"),
                helper.bearer(),
                Some(&json!({"category": "A", "priority": "green", "green_reason": "elderly"})),
            )
            .await
            .expect(201)
            .json();
        assert_eq!(green["number"], "A003");
        // Calling needs a window.
        t.send(
            Method::POST,
            "/api/v1/counter/call-next",
            helper.bearer(),
            None,
        )
        .await
        .expect(409);
        let window = counter_id(&t, 4).await;
        t.send(
            Method::POST,
            &format!("/api/v1/counters/{window}/sign-in"),
            helper.bearer(),
            None,
        )
        .await
        .expect(200);
        let after = last_event_id(&t).await;
        // A board connected before the call hears it.
        let board = tokio::spawn(await_event(
            t.router.clone(),
            after,
            "called",
            "A003",
            Duration::from_secs(10),
        ));
        tokio::time::sleep(Duration::from_millis(200)).await;
        let called = t
            .send(
                Method::POST,
                "/api/v1/counter/call-next",
                helper.bearer(),
                None,
            )
            .await
            .expect(200)
            .json();
        assert_eq!(called["number"], "A003", "green channel first");
        let event = board.await.unwrap();
        assert_eq!(event["counter_number"], 4);
        // The holders now within three get "your turn is near" once.
        let near = t
            .app
            .store
            .ticket_by_token(a1["token"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(near.near_notified);
        // A board reconnecting with Last-Event-ID replays what it missed.
        let replay = await_event(
            t.router.clone(),
            after,
            "called",
            "A003",
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(replay["id"], event["id"]);
        // Window actions, and 409 for a state that does not allow them.
        let id = called["id"].as_i64().unwrap();
        let act = |body: Value| {
            let t = t.clone();
            let token = helper.token.clone();
            async move {
                t.send(
                    Method::POST,
                    &format!("/api/v1/hall-tickets/{id}/actions"),
                    Auth::Bearer(&token),
                    Some(&body),
                )
                .await
            }
        };
        act(json!({"action": "recall"})).await.expect(200);
        act(json!({"action": "start"})).await.expect(200);
        act(json!({"action": "start"}))
            .await
            .problem(409, "conflict");
        act(json!({"action": "finish"}))
            .await
            .problem(422, "invalid_input");
        let done = act(json!({"action": "finish", "outcome": "consulted"}))
            .await
            .expect(200)
            .json();
        assert_eq!(done["status"], "finished");
        // The holder page by token; an unknown token is 404.
        let view = t
            .get(&format!(
                "/api/v1/tickets/{}",
                a1["token"].as_str().unwrap()
            ))
            .await
            .expect(200)
            .json();
        assert_eq!(view["status"], "waiting");
        t.get("/api/v1/tickets/forged").await.expect(404);
        // An officer without queue.operate for the centre may not sign in.
        let officer = t.login(("liqiang", "Demo-officer-2026")).await;
        t.send(
            Method::POST,
            &format!("/api/v1/counters/{window}/sign-in"),
            officer.bearer(),
            None,
        )
        .await
        .expect(403);
        // A walk-in is served at once.
        let walk = t
            .send(
                Method::POST,
                "/api/v1/counter/walk-in",
                helper.bearer(),
                Some(&json!({"category": "D"})),
            )
            .await
            .expect(201)
            .json();
        assert_eq!(walk["status"], "serving");
        t.send(
            Method::POST,
            "/api/v1/counter/call-next",
            helper.bearer(),
            None,
        )
        .await
        .expect(409);
    })
    .await;
}

#[tokio::test]
async fn two_instances_share_numbers_calls_and_live_events() {
    on_each_engine(|t| async move {
        t.app.load_demo_hall().await.unwrap();
        // A second instance on the same database. Its board never polls in
        // time on PostgreSQL, so only LISTEN/NOTIFY can wake it there.
        let mut config = t.app.config.clone();
        config.hall.board_poll_ms = if t.engine == "postgres" { 60_000 } else { 200 };
        let second = Arc::new(App::open(config, Arc::new(SystemClock)).await.unwrap());
        let other = TestApp {
            app: Arc::clone(&second),
            router: onetrip_web::router(AppState::new(Arc::clone(&second))),
            engine: t.engine,
            clock: None,
        };
        // Concurrent issuing on both instances.
        let mut tasks = Vec::new();
        for n in 0..24 {
            let target = if n % 2 == 0 { t.clone() } else { other.clone() };
            tasks.push(tokio::spawn(async move {
                let cat = if n % 3 == 0 { "A" } else { "D" };
                target
                    .send(
                        Method::POST,
                        &format!("{HALL}/tickets"),
                        Auth::None,
                        Some(&json!({"category": cat})),
                    )
                    .await
                    .expect(201)
                    .json()["number"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            }));
        }
        let mut numbers = BTreeSet::new();
        for task in tasks {
            numbers.insert(task.await.unwrap());
        }
        let expected: BTreeSet<String> = (1..=8)
            .map(|i| format!("A{i:03}"))
            .chain((1..=16).map(|i| format!("D{i:03}")))
            .collect();
        assert_eq!(numbers, expected, "unique and gap-free across instances");
        // Four windows, two on each instance, call concurrently until empty.
        let staff = ["wangfang", "zhoujie", "xuli", "hemin"];
        let mut tasks = Vec::new();
        for (i, name) in staff.iter().enumerate() {
            let target = if i % 2 == 0 { t.clone() } else { other.clone() };
            let window = counter_id(&t, [4, 5, 6, 8][i]).await;
            let login = target.login((name, "Demo-helper-2026")).await;
            target
                .send(
                    Method::POST,
                    &format!("/api/v1/counters/{window}/sign-in"),
                    login.bearer(),
                    None,
                )
                .await
                .expect(200);
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let r = target
                        .send(
                            Method::POST,
                            "/api/v1/counter/call-next",
                            login.bearer(),
                            None,
                        )
                        .await;
                    if r.status == 204 {
                        return mine;
                    }
                    let v = r.expect(200).json();
                    let id = v["id"].as_i64().unwrap();
                    target
                        .send(
                            Method::POST,
                            &format!("/api/v1/hall-tickets/{id}/actions"),
                            login.bearer(),
                            Some(&json!({"action": "finish", "outcome": "completed"})),
                        )
                        .await
                        .expect(200);
                    mine.push(v["number"].as_str().unwrap().to_owned());
                }
            }));
        }
        let mut called = Vec::new();
        for task in tasks {
            called.extend(task.await.unwrap());
        }
        let unique: BTreeSet<String> = called.iter().cloned().collect();
        assert_eq!(called.len(), 24, "every ticket called once: {called:?}");
        assert_eq!(unique, expected);
        // A board on the second instance hears a call made on the first.
        let after = last_event_id(&t).await;
        let board = tokio::spawn(await_event(
            other.router.clone(),
            after,
            "called",
            "A009",
            Duration::from_secs(10),
        ));
        tokio::time::sleep(Duration::from_millis(300)).await;
        t.send(
            Method::POST,
            &format!("{HALL}/tickets"),
            Auth::None,
            Some(&json!({"category": "A"})),
        )
        .await
        .expect(201);
        let login = t.login(HELPER).await;
        t.send(
            Method::POST,
            "/api/v1/counter/call-next",
            login.bearer(),
            None,
        )
        .await
        .expect(200);
        let event = board.await.unwrap();
        assert_eq!(event["counter_number"], 4);
    })
    .await;
}

#[tokio::test]
async fn planner_agrees_with_its_simulation_on_the_demo_day_and_stats_export() {
    on_each_engine(|t| async move {
        t.app.load_demo_hall().await.unwrap();
        let admin = t.login(ADMIN).await;
        let plan = t
            .get_as(&format!("{HALL}/plan"), admin.bearer())
            .await
            .expect(200)
            .json();
        let hours = plan["hours"].as_array().unwrap();
        assert!(hours.len() >= 7, "a row per open hour: {}", hours.len());
        for h in hours {
            let erlang = h["pooled"]["mean_wait_minutes"].as_f64().unwrap();
            let sim = h["simulation"]["mean_wait_minutes"].as_f64().unwrap();
            let half = h["simulation"]["half_width_minutes"].as_f64().unwrap();
            assert!(
                (erlang - sim).abs() <= half && h["agrees"] == true,
                "hour {}: Erlang C {erlang:.3} vs simulation {sim:.3} ± {half:.3}",
                h["hour"]
            );
            let pooled = h["pooled_wait_same_windows"].as_f64().unwrap();
            let dedicated = h["dedicated_wait_minutes"].as_f64().unwrap();
            assert!(
                pooled <= dedicated + 1e-9,
                "pooling never waits longer: {pooled} vs {dedicated}"
            );
        }
        assert!(
            plan["pooled_window_hours"].as_u64().unwrap()
                <= plan["dedicated_window_hours"].as_u64().unwrap()
        );
        t.get_as(&format!("{HALL}/plan?target_share=2"), admin.bearer())
            .await
            .problem(400, "invalid_query");
        let helper = t.login(HELPER).await;
        t.get_as(&format!("{HALL}/plan"), helper.bearer())
            .await
            .expect(403);
        // Statistics of the demo day and their CSV export.
        let stats = t
            .get_as(&format!("{HALL}/stats"), admin.bearer())
            .await
            .expect(200)
            .json();
        assert!(stats["total"]["tickets"].as_u64().unwrap() > 300);
        assert!(stats["total"]["served"].as_u64().unwrap() > 250);
        assert_eq!(stats["by_category"].as_array().unwrap().len(), 6);
        assert_eq!(stats["by_counter"].as_array().unwrap().len(), 8);
        let csv = t
            .get_as(&format!("{HALL}/stats.csv"), admin.bearer())
            .await
            .expect(200);
        assert!(csv.content_type().starts_with("text/csv"));
        let text = csv.text();
        assert!(text.starts_with("dimension,key,tickets"));
        assert!(text.lines().any(|l| l.starts_with("hour,09,")));
    })
    .await;
}
