//! The catalogue API through the real router: listing, items, versions,
//! search, reference data, import, export, drafts, publishing, body limits
//! and the OpenAPI document.

// Test helpers outside #[test] functions panic on purpose (clippy.toml only
// covers the test functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_common;

use api_common::{ADMIN, Auth, EDITOR, HELPER, TestApp, fields, on_each_engine, on_sqlite};
use axum::http::Method;
use serde_json::{Value, json};

const DEMO: &str = include_str!("../../../demo/catalogue.json");
const ITEM: &str = "420100-SCJGJ-XK-001";
const DRAFT_ONLY: &str = "420100-SCJGJ-XK-006";

fn demo() -> Value {
    serde_json::from_str(DEMO).expect("demo catalogue is JSON")
}

/// The demo body of one item (the `CatalogueItem` minus status and date).
fn demo_body(code: &str) -> Value {
    let mut item = demo()["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["code"] == code)
        .cloned()
        .expect("demo item");
    let obj = item.as_object_mut().expect("object");
    obj.remove("status");
    obj.remove("effective_from");
    item
}

/// Codes of demo items that mention 营业执照 in their name, keywords or materials.
fn business_licence_items() -> Vec<String> {
    demo()["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| {
            let mut text = i["name"]["zh"].to_string();
            text.push_str(&i["keywords"].to_string());
            text.push_str(&i["materials"].to_string());
            text.contains("营业执照")
        })
        .map(|i| i["code"].as_str().expect("code").to_owned())
        .collect()
}

fn codes(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items array")
        .iter()
        .map(|i| i["code"].as_str().expect("code").to_owned())
        .collect()
}

#[tokio::test]
async fn listing_items_and_versions() {
    on_each_engine(|t: TestApp| async move {
        let all = t.get("/api/v1/items").await.expect(200).json();
        let published = demo()["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["status"] == "published")
            .count();
        assert_eq!(codes(&all).len(), published);
        assert!(
            all["items"]
                .as_array()
                .expect("items")
                .iter()
                .all(|i| i["status"] == "published")
        );

        let single = t
            .get("/api/v1/items?module=single_items&region=420111")
            .await
            .expect(200)
            .json();
        let rows = single["items"].as_array().expect("items");
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|i| i["module"] == "single_items"
            && i["region"].as_str().expect("region").starts_with("420111")));

        let by_event = t
            .get("/api/v1/items?life_event=starting-business&department=420100-SCJGJ")
            .await
            .expect(200)
            .json();
        assert!(codes(&by_event).contains(&ITEM.to_owned()));

        // Empty values mean "no filter".
        let empty = t
            .get("/api/v1/items?module=&region=")
            .await
            .expect(200)
            .json();
        assert_eq!(codes(&empty).len(), published);

        // Bad values are 400 problems naming the parameter.
        for (query, field) in [
            ("module=bogus", "module"),
            ("status=gone", "status"),
            ("region=99", "region"),
            ("region=110105", "region"),
            ("department=NOPE", "department"),
            ("life_event=nope", "life_event"),
        ] {
            let p = t
                .get(&format!("/api/v1/items?{query}"))
                .await
                .problem(400, "invalid_query");
            assert_eq!(fields(&p), vec![field.to_owned()], "{query}: {p}");
        }

        let retired = t
            .get("/api/v1/items?status=retired")
            .await
            .expect(200)
            .json();
        assert!(codes(&retired).contains(&"420111-SCJGJ-XK-003".to_owned()));
        // Drafts are for those who may edit them.
        t.get("/api/v1/items?status=draft")
            .await
            .problem(401, "unauthenticated");
        let editor = t.login(EDITOR).await;
        let drafts = t
            .get_as("/api/v1/items?status=draft", editor.bearer())
            .await
            .expect(200)
            .json();
        assert_eq!(
            codes(&drafts),
            vec![DRAFT_ONLY.to_owned(), "420111-WSJKJ-QT-001".to_owned()]
        );
        let helper = t.login(HELPER).await;
        let none = t
            .get_as("/api/v1/items?status=draft", helper.bearer())
            .await
            .expect(200)
            .json();
        assert!(codes(&none).is_empty());

        let item = t
            .get(&format!("/api/v1/items/{ITEM}"))
            .await
            .expect(200)
            .json();
        assert_eq!(item["code"], ITEM);
        assert_eq!(item["status"], "published");
        assert_eq!(item["body"]["name"]["zh"], "企业设立登记");
        assert!(
            item["body"]["materials"]
                .as_array()
                .expect("materials")
                .len()
                > 3
        );
        assert!(item["effective_from"].as_str().expect("date").len() == 10);

        t.get("/api/v1/items/NO-SUCH-ITEM")
            .await
            .problem(404, "not_found");
        // Only a draft exists: not published, and hidden from the public.
        t.get(&format!("/api/v1/items/{DRAFT_ONLY}"))
            .await
            .problem(404, "not_found");
        t.get(&format!("/api/v1/items/{DRAFT_ONLY}/versions"))
            .await
            .problem(404, "not_found");
        t.get(&format!("/api/v1/items/{DRAFT_ONLY}/versions/1"))
            .await
            .problem(404, "not_found");
        let seen = t
            .get_as(
                &format!("/api/v1/items/{DRAFT_ONLY}/versions"),
                editor.bearer(),
            )
            .await
            .expect(200)
            .json();
        assert_eq!(seen["items"][0]["status"], "draft");

        let history = t
            .get(&format!("/api/v1/items/{ITEM}/versions"))
            .await
            .expect(200)
            .json();
        assert_eq!(history["code"], ITEM);
        let version = history["items"][0]["version"].as_i64().expect("version");
        let one = t
            .get(&format!("/api/v1/items/{ITEM}/versions/{version}"))
            .await
            .expect(200)
            .json();
        assert_eq!(one["version"], version);
        t.get(&format!("/api/v1/items/{ITEM}/versions/999"))
            .await
            .problem(404, "not_found");
        t.get(&format!("/api/v1/items/{ITEM}/versions/abc"))
            .await
            .problem(400, "invalid_path");
    })
    .await;
}

#[tokio::test]
async fn search_and_reference_data() {
    on_each_engine(|t: TestApp| async move {
        let hits = t.get("/api/v1/search?q=yyzz").await.expect(200).json();
        let found = codes(&hits);
        assert!(!found.is_empty(), "yyzz found nothing");
        let licence = business_licence_items();
        assert!(
            found.iter().take(3).all(|c| licence.contains(c)),
            "yyzz should find 营业执照 items first: {found:?}"
        );

        let hits = t
            .get("/api/v1/search?q=%E7%A4%BE%E4%BF%9D")
            .await
            .expect(200)
            .json();
        let names: Vec<&str> = hits["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|h| h["name"]["zh"].as_str())
            .collect();
        assert!(
            names.iter().any(|n| n.contains("社会保险登记")),
            "社保 should find 社会保险登记: {names:?}"
        );

        let one = t
            .get("/api/v1/search?q=yyzz&limit=1&module=")
            .await
            .expect(200)
            .json();
        assert_eq!(codes(&one).len(), 1);
        let scoped = t
            .get("/api/v1/search?q=%E7%A4%BE%E4%BF%9D&module=single_items")
            .await
            .expect(200)
            .json();
        assert!(
            scoped["items"]
                .as_array()
                .expect("items")
                .iter()
                .all(|h| h["module"] == "single_items")
        );
        let blank = t.get("/api/v1/search?q=").await.expect(200).json();
        assert!(codes(&blank).is_empty());
        for (query, field) in [
            ("q=a&limit=0", "limit"),
            ("q=a&limit=101", "limit"),
            ("q=a&limit=ten", "limit"),
            ("q=a&module=bogus", "module"),
        ] {
            let p = t
                .get(&format!("/api/v1/search?{query}"))
                .await
                .problem(400, "invalid_query");
            assert_eq!(fields(&p), vec![field.to_owned()], "{query}");
        }

        let regions = t.get("/api/v1/regions").await.expect(200).json();
        assert_eq!(
            codes(&regions).len(),
            demo()["regions"].as_array().expect("regions").len()
        );
        let wuhan = &regions["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["code"] == "420100")
            .cloned()
            .expect("420100");
        assert_eq!(wuhan["level"], "city");
        assert_eq!(wuhan["parent"], "420000");

        let all = t.get("/api/v1/departments").await.expect(200).json();
        let hubei = t
            .get("/api/v1/departments?region=420000")
            .await
            .expect(200)
            .json();
        let donghu = t
            .get("/api/v1/departments?region=420111")
            .await
            .expect(200)
            .json();
        assert!(codes(&all).len() > codes(&hubei).len());
        assert!(codes(&hubei).len() > codes(&donghu).len());
        assert!(codes(&hubei).iter().all(|c| c.starts_with("42")));
        assert!(codes(&donghu).iter().all(|c| c.starts_with("420111-")));
        let p = t
            .get("/api/v1/departments?region=abc")
            .await
            .problem(400, "invalid_query");
        assert_eq!(fields(&p), vec!["region".to_owned()]);

        let centres = t.get("/api/v1/service-centres").await.expect(200).json();
        assert!(codes(&centres).contains(&"420100-SMZJ".to_owned()));
        let events = t.get("/api/v1/life-events").await.expect(200).json();
        assert!(codes(&events).contains(&"starting-business".to_owned()));
    })
    .await;
}

/// A small valid document: one new item version in Wuhan.
fn small_document(code: &str, status: &str) -> Value {
    let mut item = demo_body(ITEM);
    item["code"] = json!(code);
    item["name"]["zh"] = json!("测试事项");
    item["status"] = json!(status);
    item["effective_from"] = json!("2026-03-01");
    json!({ "format": "onetrip-catalogue/1", "items": [item] })
}

#[tokio::test]
async fn import_export_and_their_permissions() {
    on_each_engine(|t: TestApp| async move {
        let admin = t.login(ADMIN).await;
        let helper = t.login(HELPER).await;
        let editor = t.login(EDITOR).await;
        let before = t.version_count().await;

        // Not signed in.
        t.send(
            Method::POST,
            "/api/v1/catalogue/import",
            Auth::None,
            Some(&small_document("420100-SCJGJ-XK-901", "draft")),
        )
        .await
        .problem(401, "unauthenticated");
        // The contractor helper can neither edit nor publish.
        t.send(
            Method::POST,
            "/api/v1/catalogue/import",
            helper.bearer(),
            Some(&small_document("420100-SCJGJ-XK-901", "published")),
        )
        .await
        .problem(403, "forbidden");
        // The editor may import drafts but not publish.
        t.send(
            Method::POST,
            "/api/v1/catalogue/import",
            editor.bearer(),
            Some(&small_document("420100-SCJGJ-XK-901", "published")),
        )
        .await
        .problem(403, "forbidden");
        assert_eq!(t.version_count().await, before);
        let summary = t
            .send(
                Method::POST,
                "/api/v1/catalogue/import",
                editor.bearer(),
                Some(&small_document("420100-SCJGJ-XK-901", "draft")),
            )
            .await
            .expect(200)
            .json();
        assert_eq!(summary["items"], 1);
        assert_eq!(t.version_count().await, before + 1);

        // A document with several errors: every one is listed, nothing imported.
        let mut bad = small_document("420100-SCJGJ-XK-902", "published");
        bad["items"][0]["promised_limit_days"] = json!(999);
        bad["items"][0]["implementing_body"] = json!("420100-NOPE");
        bad["items"][0]["materials"][1]["code"] = bad["items"][0]["materials"][0]["code"].clone();
        bad["items"][0]["delivery_channels"] = json!([]);
        bad["items"][0]["name"]["zh"] = json!("");
        let mut second = small_document("420100-SCJGJ-XK-903", "draft")["items"][0].clone();
        second["on_site_trips"] = json!(7);
        bad["items"].as_array_mut().expect("items").push(second);
        let p = t
            .send(
                Method::POST,
                "/api/v1/catalogue/import",
                admin.bearer(),
                Some(&bad),
            )
            .await
            .problem(422, "invalid_input");
        let f = fields(&p);
        for expected in [
            "items[0].promised_limit_days",
            "items[0].implementing_body",
            "items[0].materials[1].code",
            "items[0].delivery_channels",
            "items[0].name.zh",
            "items[1].on_site_trips",
        ] {
            assert!(
                f.iter().any(|x| x == expected),
                "missing {expected} in {f:?}"
            );
        }
        assert_eq!(t.version_count().await, before + 1);
        assert!(
            t.app
                .store
                .item_history("420100-SCJGJ-XK-903")
                .await
                .expect("history")
                .is_empty()
        );

        // A body that is not a document at all.
        let p = t
            .raw(
                Method::POST,
                "/api/v1/catalogue/import",
                admin.bearer(),
                Some(b"{not json".to_vec()),
            )
            .await
            .problem(400, "invalid_body");
        assert!(p["message"].as_str().expect("message").contains("JSON"));
        t.send(
            Method::POST,
            "/api/v1/catalogue/import",
            admin.bearer(),
            Some(&json!({ "format": "onetrip-catalogue/1", "items": [{ "code": 1 }] })),
        )
        .await
        .problem(422, "invalid_body");

        // Export needs data.export.
        let doc = t
            .get_as("/api/v1/catalogue/export", admin.bearer())
            .await
            .expect(200)
            .json();
        assert_eq!(doc["format"], "onetrip-catalogue/1");
        assert_eq!(doc["items"].as_array().expect("items").len(), before + 1);
        t.get_as("/api/v1/catalogue/export", editor.bearer())
            .await
            .problem(403, "forbidden");
        t.get("/api/v1/catalogue/export")
            .await
            .problem(401, "unauthenticated");
    })
    .await;
}

async fn save_draft(t: &TestApp, auth: Auth<'_>, code: &str, body: &Value) -> api_common::Resp {
    t.send(
        Method::PUT,
        &format!("/api/v1/items/{code}/draft"),
        auth,
        Some(&json!({ "effective_from": "2026-03-01", "body": body })),
    )
    .await
}

#[tokio::test]
async fn drafts_publishing_and_retiring() {
    on_each_engine(|t: TestApp| async move {
        let admin = t.login(ADMIN).await;
        let helper = t.login(HELPER).await;
        let mut body = demo_body(ITEM);
        body["promised_limit_days"] = json!(1);

        // The path must name the body's item.
        let p = save_draft(&t, admin.bearer(), "420100-SCJGJ-XK-002", &body)
            .await
            .problem(422, "invalid_input");
        assert_eq!(fields(&p), vec!["body.code".to_owned()]);
        // Every bad field of the body is listed, addressed inside the request.
        let mut wrong = body.clone();
        wrong["promised_limit_days"] = json!(500);
        wrong["on_site_trips"] = json!(5);
        let p = save_draft(&t, admin.bearer(), ITEM, &wrong)
            .await
            .problem(422, "invalid_input");
        let f = fields(&p);
        assert!(f.contains(&"body.promised_limit_days".to_owned()), "{f:?}");
        assert!(f.contains(&"body.on_site_trips".to_owned()), "{f:?}");
        // The contractor helper has no catalogue.edit.
        save_draft(&t, helper.bearer(), ITEM, &body)
            .await
            .problem(403, "forbidden");
        save_draft(&t, Auth::None, ITEM, &body)
            .await
            .problem(401, "unauthenticated");

        let draft = save_draft(&t, admin.bearer(), ITEM, &body)
            .await
            .expect(200)
            .json();
        assert_eq!(draft["status"], "draft");
        assert_eq!(draft["effective_from"], "2026-03-01");
        let version = draft["version"].as_i64().expect("version");
        let publish = format!("/api/v1/items/{ITEM}/versions/{version}/publish");

        // Publishing is core: never for contractor staff.
        let p = t
            .send(Method::POST, &publish, helper.bearer(), None)
            .await
            .problem(403, "forbidden");
        assert!(
            p["message"]
                .as_str()
                .expect("message")
                .contains("contractor staff may never hold the core permission"),
            "{p}"
        );
        let published = t
            .send(Method::POST, &publish, admin.bearer(), None)
            .await
            .expect(200)
            .json();
        assert_eq!(published["status"], "published");
        assert!(published["published_at"].as_i64().is_some());
        let shown = t
            .get(&format!("/api/v1/items/{ITEM}"))
            .await
            .expect(200)
            .json();
        assert_eq!(shown["version"], version);
        assert_eq!(shown["body"]["promised_limit_days"], 1);
        t.send(Method::POST, &publish, admin.bearer(), None)
            .await
            .problem(409, "conflict");
        t.send(
            Method::POST,
            &format!("/api/v1/items/{ITEM}/versions/999/publish"),
            admin.bearer(),
            None,
        )
        .await
        .problem(404, "not_found");

        let retire = format!("/api/v1/items/{ITEM}/retire");
        t.send(Method::POST, &retire, helper.bearer(), None)
            .await
            .problem(403, "forbidden");
        t.send(Method::POST, &retire, admin.bearer(), None)
            .await
            .expect(204);
        t.get(&format!("/api/v1/items/{ITEM}"))
            .await
            .problem(404, "not_found");
        t.send(Method::POST, &retire, admin.bearer(), None)
            .await
            .problem(404, "not_found");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_publishes_one_wins() {
    on_each_engine(|t: TestApp| async move {
        let admin = t.login(ADMIN).await;
        let body = demo_body(ITEM);
        let draft = save_draft(&t, admin.bearer(), ITEM, &body)
            .await
            .expect(200)
            .json();
        let version = draft["version"].as_i64().expect("version");
        let uri = format!("/api/v1/items/{ITEM}/versions/{version}/publish");
        let (a, b) = tokio::join!(
            t.send(Method::POST, &uri, admin.bearer(), None),
            t.send(Method::POST, &uri, admin.bearer(), None)
        );
        let mut statuses = vec![a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            vec![200, 409],
            "bodies: {} / {}",
            a.text(),
            b.text()
        );
        let loser = if a.status.as_u16() == 409 { a } else { b };
        loser.problem(409, "conflict");
        // Exactly one published version remains.
        let history = t
            .get(&format!("/api/v1/items/{ITEM}/versions"))
            .await
            .expect(200)
            .json();
        let published = history["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|v| v["status"] == "published")
            .count();
        assert_eq!(published, 1, "{history}");
    })
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_413_problems() {
    on_sqlite(|t: TestApp| async move {
        let admin = t.login(ADMIN).await;
        // Over the global 2 MiB limit on an ordinary endpoint.
        let big = vec![b' '; 2 * 1024 * 1024 + 1];
        t.raw(
            Method::POST,
            "/api/v1/applicants",
            Auth::None,
            Some(big.clone()),
        )
        .await
        .problem(413, "payload_too_large");
        t.raw(
            Method::PUT,
            &format!("/api/v1/items/{ITEM}/draft"),
            admin.bearer(),
            Some(big),
        )
        .await
        .problem(413, "payload_too_large");

        // The import route accepts more than 2 MiB...
        let mut doc = br#"{"format": "onetrip-catalogue/1", "items": []}"#.to_vec();
        doc.extend(std::iter::repeat_n(b' ', 3 * 1024 * 1024));
        let summary = t
            .raw(
                Method::POST,
                "/api/v1/catalogue/import",
                admin.bearer(),
                Some(doc),
            )
            .await
            .expect(200)
            .json();
        assert_eq!(summary["items"], 0);
        // ...but not more than 16 MiB.
        let mut doc = br#"{"format": "onetrip-catalogue/1", "items": []}"#.to_vec();
        doc.extend(std::iter::repeat_n(b' ', 16 * 1024 * 1024));
        t.raw(
            Method::POST,
            "/api/v1/catalogue/import",
            admin.bearer(),
            Some(doc),
        )
        .await
        .problem(413, "payload_too_large");
    })
    .await;
}

#[tokio::test]
async fn openapi_document_lists_every_api_path() {
    on_sqlite(|t: TestApp| async move {
        let resp = t.get("/api/openapi.json").await.expect(200);
        assert!(resp.content_type().starts_with("application/json"));
        let doc = resp.json();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().expect("paths");
        let expected: &[(&str, &[&str])] = &[
            ("/api/v1/items", &["get"]),
            ("/api/v1/items/{code}", &["get"]),
            ("/api/v1/items/{code}/versions", &["get"]),
            ("/api/v1/items/{code}/versions/{version}", &["get"]),
            ("/api/v1/items/{code}/draft", &["put"]),
            ("/api/v1/items/{code}/versions/{version}/publish", &["post"]),
            ("/api/v1/items/{code}/retire", &["post"]),
            ("/api/v1/search", &["get"]),
            ("/api/v1/catalogue/import", &["post"]),
            ("/api/v1/catalogue/export", &["get"]),
            ("/api/v1/regions", &["get"]),
            ("/api/v1/departments", &["get"]),
            ("/api/v1/service-centres", &["get"]),
            ("/api/v1/life-events", &["get"]),
            ("/api/v1/sessions", &["post"]),
            ("/api/v1/sessions/current", &["delete"]),
            ("/api/v1/me", &["get"]),
            ("/api/v1/applicants", &["post"]),
            ("/api/v1/staff", &["get", "post"]),
            ("/api/v1/staff/{id}", &["get"]),
            ("/api/v1/staff/{id}/grants", &["post"]),
            ("/api/v1/staff/{id}/grants/{grant_id}", &["delete"]),
            ("/api/v1/staff/{id}/disable", &["post"]),
            ("/api/v1/staff/{id}/enable", &["post"]),
            ("/api/v1/staff/{id}/sessions", &["delete"]),
            ("/api/v1/roles", &["get"]),
            ("/api/v1/roles/{code}", &["put"]),
            ("/api/v1/cases", &["get", "post"]),
            ("/api/v1/window/cases", &["post"]),
            ("/api/v1/cases/{id}", &["get"]),
            ("/api/v1/cases/{id}/form", &["put"]),
            ("/api/v1/cases/{id}/actions", &["post"]),
            ("/api/v1/cases/{id}/materials/{key}", &["put"]),
            ("/api/v1/cases/{id}/materials/{key}/text", &["post"]),
            ("/api/v1/cases/{id}/materials/{key}/{revision}", &["get"]),
            ("/api/v1/cases/{id}/notifications", &["get"]),
            ("/api/v1/cases/{id}/trips", &["post"]),
            ("/api/v1/tasks", &["get"]),
            ("/api/v1/bundles", &["get"]),
            ("/api/v1/status/{token}", &["get"]),
            ("/api/v1/messages", &["get"]),
            ("/api/v1/stats/trips", &["get"]),
            ("/api/v1/calendar", &["get", "post"]),
            ("/api/v1/calendar/due", &["get"]),
            ("/api/v1/api-tokens", &["post"]),
            ("/api/v1/api-tokens/{id}", &["delete"]),
            ("/api/v1/cases/{id}/evidence", &["get", "post"]),
            ("/api/v1/cases/{id}/evidence/provenance", &["get"]),
            ("/api/v1/cases/{id}/evidence/{key}/unmask", &["post"]),
            ("/api/v1/me/consents", &["get"]),
            ("/api/v1/me/consents/{id}", &["delete"]),
            ("/api/v1/me/data-access", &["get"]),
            ("/api/v1/certificates/{no}/verify", &["get"]),
            ("/api/v1/certificates/{no}/revoke", &["post"]),
            ("/api/v1/sharing/public-key", &["get"]),
            ("/api/v1/sharing/import", &["post"]),
            ("/api/v1/sharing/providers", &["post"]),
            ("/api/v1/sharing/measures", &["get"]),
            ("/api/v1/sharing/verify", &["get"]),
            ("/api/v1/halls/{centre}/{hall}/categories", &["get"]),
            ("/api/v1/halls/{centre}/{hall}/tickets", &["post"]),
            ("/api/v1/halls/{centre}/{hall}/reception/tickets", &["post"]),
            ("/api/v1/tickets/{token}", &["get"]),
            ("/api/v1/halls/{centre}/{hall}/counters", &["get"]),
            ("/api/v1/halls/{centre}/{hall}/counters/{number}", &["put"]),
            ("/api/v1/counter", &["get"]),
            ("/api/v1/counters/{id}/sign-in", &["post"]),
            ("/api/v1/counter/sign-out", &["post"]),
            ("/api/v1/counter/call-next", &["post"]),
            ("/api/v1/counter/walk-in", &["post"]),
            ("/api/v1/hall-tickets/{id}/actions", &["post"]),
            ("/api/v1/halls/{centre}/{hall}/slots", &["get"]),
            ("/api/v1/appointments", &["get", "post"]),
            ("/api/v1/appointments/{id}", &["delete"]),
            ("/api/v1/appointments/{id}/reschedule", &["post"]),
            ("/api/v1/halls/{centre}/{hall}/check-in", &["post"]),
            ("/api/v1/halls/{centre}/{hall}/stats", &["get"]),
            ("/api/v1/halls/{centre}/{hall}/stats.csv", &["get"]),
            ("/api/v1/halls/{centre}/{hall}/plan", &["get"]),
            ("/api/v1/halls/{centre}/{hall}/events", &["get"]),
        ];
        for (path, methods) in expected {
            let item = paths
                .get(*path)
                .unwrap_or_else(|| panic!("{path} is missing from the OpenAPI document"));
            for m in *methods {
                let op = &item[*m];
                assert!(op.is_object(), "{m} {path} is missing");
                assert!(op["tags"].is_array(), "{m} {path} has no tag");
                assert!(
                    op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                    "{m} {path} has no responses"
                );
            }
        }
        let api_paths = paths.keys().filter(|p| p.starts_with("/api/v1/")).count();
        assert_eq!(
            api_paths,
            expected.len(),
            "unexpected paths: {:?}",
            paths.keys()
        );
        // Problem responses are documented with their media type.
        let problem = &paths["/api/v1/catalogue/import"]["post"]["responses"]["422"]["content"];
        assert!(
            problem["application/problem+json"]["schema"]["$ref"]
                .as_str()
                .is_some_and(|r| r.ends_with("/Problem")),
            "{problem}"
        );
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for s in [
            "Problem",
            "ItemVersionView",
            "SessionCreated",
            "ApplicantView",
            "StaffDetail",
        ] {
            assert!(schemas.contains_key(s), "schema {s} missing");
        }
        let security = doc["components"]["securitySchemes"]
            .as_object()
            .expect("security schemes");
        assert!(security.contains_key("bearer") && security.contains_key("cookie"));
        // Every parameter of a templated path is declared.
        for (path, item) in paths {
            for (_, op) in item.as_object().expect("path item") {
                let declared: Vec<&str> = op["parameters"]
                    .as_array()
                    .map(|ps| {
                        ps.iter()
                            .filter(|p| p["in"] == "path")
                            .filter_map(|p| p["name"].as_str())
                            .collect()
                    })
                    .unwrap_or_default();
                for segment in path.split('/') {
                    if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
                    {
                        assert!(declared.contains(&name), "{path}: {name} undeclared");
                    }
                }
            }
        }
    })
    .await;
}
