//! The public portal through the real router: home, browsing, the guide,
//! search, the language switch, security headers and readable errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pages_common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pages_common::demo_client;

#[tokio::test]
async fn home_lists_the_four_modules_in_chinese_then_english() {
    let mut c = demo_client().await;
    let home = c.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<html lang=\"zh-CN\">"));
    let cards = home.texts(".cards .card h3 a");
    for m in ["商事登记", "企业投资项目", "建设项目", "单一事项"] {
        assert!(cards.iter().any(|c| c == m), "{m} missing from {cards:?}");
    }
    let switch = c.get("/lang/en?next=%2F").await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    let home = c.get("/").await;
    assert!(home.body.contains("<html lang=\"en\">"));
    assert!(
        home.texts(".cards .card h3 a")
            .iter()
            .any(|c| c == "Business registration")
    );
    // An off-site `next` is never followed.
    let evil = c.get("/lang/zh?next=%2F%2Fevil.example").await;
    assert_eq!(evil.headers.get(header::LOCATION).unwrap(), "/");
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let mut c = demo_client().await;
    for path in [
        "/",
        "/search?q=yyzz",
        "/api/openapi.json",
        "/healthz",
        "/no-such-page",
        "/static/app.css",
    ] {
        let p = c.get(path).await;
        let h = &p.headers;
        assert!(h.get(header::CONTENT_SECURITY_POLICY).is_some(), "{path}");
        assert_eq!(
            h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY", "{path}");
        assert!(h.get(header::REFERRER_POLICY).is_some(), "{path}");
    }
}

#[tokio::test]
async fn browsing_filters_by_module_department_and_life_event() {
    let mut c = demo_client().await;
    let all = c
        .get("/catalogue")
        .await
        .texts(".item-table tbody tr")
        .len();
    let construction = c.get("/catalogue?module=construction_projects").await;
    let rows = construction.texts(".item-table tbody tr td:nth-child(2)");
    assert!(!rows.is_empty() && rows.len() < all);
    assert!(rows.iter().all(|m| m == "建设项目"), "{rows:?}");
    let starting = c
        .get("/catalogue?life_event=starting-business")
        .await
        .texts(".item-table tbody tr td:first-child a");
    assert!(starting.iter().any(|n| n == "企业设立登记"), "{starting:?}");
    let dept = c
        .get("/catalogue?department=420100-GAJ")
        .await
        .texts(".item-table tbody tr td:nth-child(3)");
    assert!(
        !dept.is_empty() && dept.iter().all(|d| d == "武汉市公安局"),
        "{dept:?}"
    );
    let bad = c.get("/catalogue?module=nonsense").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.texts(".error-summary li a")
            .iter()
            .any(|t| t == "module")
    );
}

#[tokio::test]
async fn the_service_guide_shows_every_element_and_prints() {
    let mut c = demo_client().await;
    let guide = c.get("/items/420100-SCJGJ-XK-001").await;
    assert_eq!(guide.status, StatusCode::OK);
    let labels = guide.texts("dl.facts dt");
    for l in [
        "实施编码",
        "权力类型",
        "实施主体",
        "法定办结时限",
        "承诺办结时限",
        "到现场次数",
        "送达方式",
        "审批结果",
        "咨询电话",
        "监督投诉电话",
        "办理地点",
        "办理时间",
    ] {
        assert!(labels.iter().any(|x| x == l), "{l} missing");
    }
    assert!(!guide.texts("table.materials tbody tr").is_empty());
    assert!(guide.texts("h2").iter().any(|h| h == "设定依据"));
    let print = c.get("/items/420100-SCJGJ-XK-001/print").await;
    assert!(print.body.contains("class=\"print-view\""));
    let missing = c.get("/items/NO-SUCH-ITEM").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("操作编号"));
}

#[tokio::test]
async fn search_finds_chinese_words_pinyin_initials_and_synonyms_on_both_engines() {
    let dir = tempfile::tempdir().unwrap();
    for (engine, url) in pages_common::engine_urls(dir.path()).await {
        let url = if engine == "sqlite" { None } else { Some(url) };
        let mut c = pages_common::demo_client_on(url).await;
        let names = |p: &pages_common::Page| p.texts(".result-list li > a");
        let words = names(
            &c.get("/search?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7")
                .await,
        ); // 营业执照
        assert!(
            words.iter().any(|n| n == "企业设立登记"),
            "{engine}: {words:?}"
        );
        let initials = names(&c.get("/search?q=yyzz").await);
        assert!(
            initials.iter().any(|n| n == "企业设立登记"),
            "{engine}: {initials:?}"
        );
        let synonym = names(&c.get("/search?q=%E7%A4%BE%E4%BF%9D").await); // 社保
        assert!(
            synonym.iter().any(|n| n.starts_with("社会保险登记")),
            "{engine}: {synonym:?}"
        );
        let nothing = c.get("/search?q=%22%3A%28%2B*").await;
        assert_eq!(nothing.status, StatusCode::OK, "{engine}");
    }
}

#[tokio::test]
async fn oversized_and_unknown_requests_get_readable_errors() {
    let mut c = demo_client().await;
    let huge = "x".repeat(3 * 1024 * 1024);
    let page = c
        .send(
            Request::post("/register")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("name={huge}")))
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.body.contains("请求体过大"));
    let api = c.get("/api/v1/nothing-here").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(
        api.headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("application/problem+json")
    );
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let mut c = demo_client().await;
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
    let ready = c.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert!(ready.body.contains("\"sqlite\""));
    c.get("/").await;
    let metrics = c.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics.body.contains("onetrip_http_requests_total"),
        "{}",
        metrics.body
    );
}

#[tokio::test]
async fn drafts_are_not_public() {
    let mut c = demo_client().await;
    let filter = onetrip_store::ItemFilter {
        status: Some(onetrip_domain::catalogue::ItemStatus::Draft),
        ..Default::default()
    };
    let draft = c.app.store.list_items(&filter).await.unwrap().remove(0);
    let path = format!("/items/{}?version={}", draft.code, draft.version);
    assert_eq!(
        c.get(&path).await.status,
        StatusCode::NOT_FOUND,
        "anonymous"
    );
    c.sign_in("applicant", "420111199003151239", "Demo-applicant-2026")
        .await;
    assert_eq!(
        c.get(&path).await.status,
        StatusCode::NOT_FOUND,
        "applicant"
    );
    let mut admin = c.another();
    admin.sign_in("staff", "admin", "Demo-admin-2026").await;
    let page = admin.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "an editor sees the draft");
    assert!(page.body.contains("草稿"));
}
