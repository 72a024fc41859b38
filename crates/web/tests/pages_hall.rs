//! Service-hall pages through the real router: the kiosk and the holder's
//! page, the window console and the display board, appointments, and the
//! statistics and staffing planner. Runs on SQLite, and on PostgreSQL too
//! when `ONETRIP_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pages_common;

use axum::http::{StatusCode, header};
use pages_common::{Client, Page};

const APPLICANT: (&str, &str) = ("420111199003151239", "Demo-applicant-2026");
const HELPER: (&str, &str) = ("wangfang", "Demo-helper-2026");
const ADMIN: (&str, &str) = ("admin", "Demo-admin-2026");
const HALL: &str = "/hall/420100-SMZJ/F1";

fn location(p: &Page) -> String {
    p.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn attr(p: &Page, selector: &str, name: &str) -> Option<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    p.html()
        .select(&sel)
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_owned))
}

fn count(p: &Page, selector: &str) -> usize {
    let sel = scraper::Selector::parse(selector).unwrap();
    p.html().select(&sel).count()
}

/// Every message key the page uses exists (unknown keys show as `??`).
fn all_messages(p: &Page, what: &str) {
    assert!(
        !p.body.contains("??"),
        "{what} shows an unknown message key"
    );
}

async fn signed_in(c: &Client, kind: &str, who: (&str, &str)) -> Client {
    let mut s = c.another();
    let p = s.sign_in(kind, who.0, who.1).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{} signs in", who.0);
    s
}

/// A client over a fresh demo database with the demo hall loaded.
async fn hall_client(engine: &str, url: String) -> Client {
    let url = if engine == "sqlite" { None } else { Some(url) };
    let c = pages_common::demo_client_on(url).await;
    c.app.load_demo_hall().await.expect("demo hall");
    c
}

async fn for_each_engine<F, Fut>(test: F)
where
    F: Fn(Client, &'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    for (engine, url) in pages_common::engine_urls(dir.path()).await {
        test(hall_client(engine, url).await, engine).await;
    }
}

async fn kiosk_console_board_and_ticket(c: Client, engine: &str) {
    // ---- kiosk ----
    let mut kiosk = c.another();
    let page = kiosk.get(&format!("{HALL}/kiosk")).await;
    assert_eq!(page.status, StatusCode::OK, "{engine}");
    assert_eq!(
        count(&page, "button[name=category]"),
        6,
        "{engine}: one button per category A–F"
    );
    assert!(page.body.contains("field-phone"), "{engine}: phone field");
    assert!(
        page.body.contains("name=\"code\""),
        "{engine}: check-in form"
    );
    let csrf = page.csrf();
    all_messages(&page, "kiosk");

    // A bad mobile number re-renders the kiosk naming the field.
    let bad = kiosk
        .post_form(
            &format!("{HALL}/kiosk/ticket"),
            &[("csrf_token", &csrf), ("category", "A"), ("phone", "12345")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
    assert_eq!(
        bad.texts(".error-summary li a"),
        vec!["phone".to_owned()],
        "{engine}"
    );
    assert_eq!(
        attr(&bad, "#field-phone", "value").as_deref(),
        Some("12345")
    );
    // A bad booking code names `code`; a missing CSRF token is refused.
    let bad = kiosk
        .post_form(
            &format!("{HALL}/kiosk/check-in"),
            &[("csrf_token", &csrf), ("code", "12ab")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
    assert_eq!(
        bad.texts(".error-summary li a"),
        vec!["code".to_owned()],
        "{engine}"
    );
    let forged = kiosk
        .post_form(&format!("{HALL}/kiosk/ticket"), &[("category", "A")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{engine}");

    let taken = kiosk
        .post_form(
            &format!("{HALL}/kiosk/ticket"),
            &[
                ("csrf_token", &csrf),
                ("category", "A"),
                ("phone", "13800001111"),
            ],
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        taken.body
    );
    let ticket_url = location(&taken);
    assert!(
        ticket_url.starts_with("/tickets/"),
        "{engine}: {ticket_url}"
    );

    // ---- the holder's page ----
    let mut holder = c.another();
    let t = holder.get(&ticket_url).await;
    assert_eq!(t.status, StatusCode::OK, "{engine}");
    all_messages(&t, "ticket");
    assert_eq!(
        t.texts(".ticket-number"),
        vec!["A001".to_owned()],
        "{engine}"
    );
    assert_eq!(t.texts(".ticket-ahead"), vec!["0".to_owned()], "{engine}");
    assert_eq!(
        t.texts(".ticket-status"),
        vec!["等候中".to_owned()],
        "{engine}"
    );
    assert!(
        t.body
            .contains(r#"<meta http-equiv="refresh" content="15">"#),
        "{engine}"
    );
    assert!(
        count(&t, ".hall-near") == 1,
        "{engine}: nobody ahead, the turn is near"
    );
    assert!(
        !t.body.contains("13800001111"),
        "{engine}: the phone is masked"
    );
    assert!(t.body.contains("138****1111"), "{engine}");
    assert!(
        t.texts(".ticket-counter").is_empty(),
        "{engine}: not called yet"
    );
    assert_eq!(
        holder.get("/tickets/not-a-real-token").await.status,
        StatusCode::NOT_FOUND,
        "{engine}"
    );

    // ---- the window console ----
    let mut h = signed_in(&c, "staff", HELPER).await;
    let console = h.get("/workbench/counter").await;
    assert_eq!(console.status, StatusCode::OK, "{engine}");
    all_messages(&console, "console (not signed in)");
    let counter_id = attr(
        &console,
        "tr[data-window='1'] input[name=counter_id]",
        "value",
    )
    .expect("window 1 is free");
    let csrf = console.csrf();
    let signed = h
        .post_form(
            "/workbench/counter/sign-in",
            &[("csrf_token", &csrf), ("counter_id", &counter_id)],
        )
        .await;
    assert_eq!(
        signed.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        signed.body
    );
    let console = h.get("/workbench/counter").await;
    assert!(
        console.texts(".console-window__number")[0].starts_with('1'),
        "{engine}"
    );
    let called = h
        .post_form("/workbench/counter/call-next", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(called.status, StatusCode::SEE_OTHER, "{engine}");
    assert!(
        location(&called).contains("number=A001"),
        "{engine}: {}",
        location(&called)
    );
    let console = h.get(&location(&called)).await;
    all_messages(&console, "console");
    assert_eq!(
        console.texts(".console-ticket__number"),
        vec!["A001".to_owned()],
        "{engine}"
    );
    // No "call next" button while a ticket is open at the window.
    assert_eq!(
        count(&console, "form[action='/workbench/counter/call-next']"),
        0,
        "{engine}"
    );

    // ---- the board ----
    let mut board_client = c.another();
    let board = board_client.get(&format!("{HALL}/board")).await;
    assert_eq!(board.status, StatusCode::OK, "{engine}");
    all_messages(&board, "board");
    assert_eq!(
        board
            .texts(".board-call__number")
            .first()
            .map(String::as_str),
        Some("A001")
    );
    assert!(
        board.texts(".board-call__window")[0].starts_with("1 "),
        "{engine}"
    );
    assert!(
        board
            .body
            .contains(r#"<script src="/static/board.js" defer></script>"#)
    );
    assert_eq!(
        attr(&board, "#hall-board", "data-centre").as_deref(),
        Some("420100-SMZJ")
    );
    assert_eq!(
        attr(&board, "#hall-board", "data-hall").as_deref(),
        Some("F1")
    );
    assert!(
        board.body.contains(r#"class="board""#),
        "{engine}: board body class"
    );
    assert_eq!(count(&board, "[data-waiting]"), 6, "{engine}");
    let js = board_client.get("/static/board.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.body.contains("new EventSource("));
    assert!(js.body.contains("zh-CN"));
    assert!(
        js.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/javascript"))
    );
    assert_eq!(
        board_client
            .get("/hall/420100-SMZJ/NOPE/board")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // ---- the holder sees the window ----
    let t = holder.get(&ticket_url).await;
    assert_eq!(
        t.texts(".ticket-status"),
        vec!["已叫号".to_owned()],
        "{engine}"
    );
    assert!(
        t.texts(".ticket-counter")[0].starts_with('1'),
        "{engine}: {}",
        t.body
    );
    assert!(t.texts(".ticket-ahead").is_empty(), "{engine}");

    // ---- serve and finish ----
    let id = attr(&console, "form[action$='/start']", "action").expect("start form");
    let started = h.post_form(&id, &[("csrf_token", &csrf)]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{engine}");
    // Starting twice is a conflict page.
    let again = h.post_form(&id, &[("csrf_token", &csrf)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{engine}");
    let console = h.get("/workbench/counter").await;
    let finish = attr(&console, "form[action$='/finish']", "action").expect("finish form");
    let bad = h
        .post_form(
            &finish,
            &[
                ("csrf_token", &csrf),
                ("outcome", "completed"),
                ("case_id", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
    assert_eq!(bad.texts(".error-summary li a"), vec!["case_id".to_owned()]);
    let done = h
        .post_form(&finish, &[("csrf_token", &csrf), ("outcome", "completed")])
        .await;
    assert_eq!(
        done.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        done.body
    );
    let t = holder.get(&ticket_url).await;
    assert_eq!(
        t.texts(".ticket-status"),
        vec!["已完成".to_owned()],
        "{engine}"
    );
    assert!(
        !t.body.contains("http-equiv"),
        "{engine}: a closed ticket stops refreshing"
    );

    // Reception issues a green-channel ticket; the reason is required.
    let bad = h
        .post_form(
            "/workbench/counter/issue",
            &[
                ("csrf_token", &csrf),
                ("hall", "420100-SMZJ/F1"),
                ("category", "D"),
                ("priority", "green"),
                ("green_reason", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
    assert_eq!(
        bad.texts(".error-summary li a"),
        vec!["green_reason".to_owned()]
    );
    let issued = h
        .post_form(
            "/workbench/counter/issue",
            &[
                ("csrf_token", &csrf),
                ("hall", "420100-SMZJ/F1"),
                ("category", "D"),
                ("priority", "green"),
                ("green_reason", "elderly"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{engine}");
    let shown = h.get(&location(&issued)).await;
    assert!(
        shown.texts(".notice")[0].contains("D001"),
        "{engine}: {}",
        shown.body
    );
    let out = h
        .post_form("/workbench/counter/sign-out", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "{engine}");

    // Applicants may not use the console.
    let mut a = signed_in(&c, "applicant", APPLICANT).await;
    assert_eq!(
        a.get("/workbench/counter").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn kiosk_ticket_console_and_board() {
    for_each_engine(kiosk_console_board_and_ticket).await;
}

async fn appointments(c: Client, engine: &str) {
    let mut anon = c.another();
    let p = anon.get("/appointments").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{engine}");
    assert!(location(&p).starts_with("/login?next="), "{engine}");
    let mut staff = signed_in(&c, "staff", HELPER).await;
    assert_eq!(
        staff.get("/appointments").await.status,
        StatusCode::FORBIDDEN
    );

    let mut a = signed_in(&c, "applicant", APPLICANT).await;
    let list = a.get("/appointments").await;
    assert_eq!(list.status, StatusCode::OK, "{engine}");
    assert_eq!(count(&list, "tr.appointment"), 0, "{engine}");
    let new = a
        .get("/appointments/new?centre=420100-SMZJ&hall=F1&category=D")
        .await;
    assert_eq!(new.status, StatusCode::OK, "{engine}");
    all_messages(&new, "new appointment");
    assert!(
        count(&new, "li.slot") >= 10,
        "{engine}: slots of the coming days"
    );
    let slot = attr(&new, "li.slot:not(.is-full) input[name=slot_id]", "value").expect("open slot");
    let booked = a
        .post_form(
            "/appointments",
            &[("csrf_token", &new.csrf()), ("slot_id", &slot)],
        )
        .await;
    assert_eq!(
        booked.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        booked.body
    );
    let list = a.get(&location(&booked)).await;
    all_messages(&list, "appointments");
    assert_eq!(count(&list, "tr.appointment"), 1, "{engine}");
    assert_eq!(list.texts(".appointment-status"), vec!["已预约".to_owned()]);
    let code = list.texts(".appointment-code")[0].clone();
    assert_eq!(code.len(), 8, "{engine}: booking code {code}");
    // The slot shows one place fewer.
    let new = a
        .get("/appointments/new?centre=420100-SMZJ&hall=F1&category=D")
        .await;
    let left = new.texts(&format!("li.slot[data-slot='{slot}'] .slot__left"));
    assert!(left[0].contains('3'), "{engine}: {left:?}");
    // An unknown category is a 400 naming it.
    let bad = a
        .get("/appointments/new?centre=420100-SMZJ&hall=F1&category=Z")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{engine}");
    assert_eq!(
        bad.texts(".error-summary li a"),
        vec!["category".to_owned()]
    );

    let cancel = attr(&list, "form[action$='/cancel']", "action").expect("cancel form");
    let done = a.post_form(&cancel, &[("csrf_token", &list.csrf())]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{engine}");
    let list = a.get("/appointments").await;
    assert_eq!(
        list.texts(".appointment-status"),
        vec!["已取消".to_owned()],
        "{engine}"
    );
    assert_eq!(count(&list, "form[action$='/cancel']"), 0, "{engine}");
}

#[tokio::test]
async fn applicant_books_and_cancels_an_appointment() {
    for_each_engine(appointments).await;
}

async fn stats_and_planner(c: Client, engine: &str) {
    let mut admin = signed_in(&c, "staff", ADMIN).await;
    let plan = admin
        .get("/admin/hall/planner?centre=420100-SMZJ&hall=F1&target_minutes=20&target_share=0.9")
        .await;
    assert_eq!(plan.status, StatusCode::OK, "{engine}: {}", plan.body);
    assert!(plan.body.contains("<svg"), "{engine}");
    all_messages(&plan, "planner");
    assert_eq!(count(&plan, "svg.chart"), 2, "{engine}");
    // The demo day is open 9–12 and 13:30–17: seven hours with arrivals.
    assert_eq!(count(&plan, "tr.plan-hour"), 7, "{engine}");
    assert!(
        plan.texts("tr.plan-hour th")[0].starts_with("09"),
        "{engine}"
    );
    assert!(count(&plan, "svg.chart rect.chart-bar") > 7, "{engine}");
    let bad = admin
        .get("/admin/hall/planner?centre=420100-SMZJ&hall=F1&target_share=2")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{engine}");
    assert_eq!(
        bad.texts(".error-summary li a"),
        vec!["target_share".to_owned()]
    );
    let bad = admin.get("/admin/hall/planner?day=2026-02-31").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{engine}");
    assert_eq!(bad.texts(".error-summary li a"), vec!["day".to_owned()]);

    let stats = admin
        .get("/admin/hall/stats?centre=420100-SMZJ&hall=F1")
        .await;
    assert_eq!(stats.status, StatusCode::OK, "{engine}: {}", stats.body);
    assert!(stats.body.contains("<svg"), "{engine}");
    all_messages(&stats, "stats");
    assert_eq!(count(&stats, "svg.chart"), 2, "{engine}");
    assert!(count(&stats, "#by-hour tbody tr") >= 7, "{engine}");
    assert_eq!(count(&stats, "#by-category tbody tr"), 6, "{engine}");
    assert_eq!(count(&stats, "#by-window tbody tr"), 8, "{engine}");
    assert!(
        stats
            .body
            .contains("/api/v1/halls/420100-SMZJ/F1/stats.csv?from="),
        "{engine}"
    );
    let bad = admin
        .get("/admin/hall/stats?from=2026-05-02&to=2026-05-01")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{engine}");
    assert_eq!(bad.texts(".error-summary li a"), vec!["to".to_owned()]);

    // A contractor at the window may not plan staffing.
    let mut h = signed_in(&c, "staff", HELPER).await;
    let refused = h
        .get("/admin/hall/planner?centre=420100-SMZJ&hall=F1")
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{engine}");
    let mut anon = c.another();
    let p = anon.get("/admin/hall/stats").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{engine}");
}

#[tokio::test]
async fn statistics_and_planner_pages() {
    for_each_engine(stats_and_planner).await;
}
