//! Catalogue administration through the real router: editing, validation,
//! publishing and the public guide's versions, import and export.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin_common;

use admin_common::{ADMIN, EDITOR, HELPER, ITEM, Resp, TestApp, get, remove, set};
use axum::http::StatusCode;
use onetrip_domain::catalogue::ItemStatus;

/// `(dt, dd)` pairs of the guide's facts list.
fn facts(r: &Resp) -> Vec<(String, String)> {
    let dts = r.texts("dl.facts dt");
    let dds = r.texts("dl.facts dd");
    dts.into_iter().zip(dds).collect()
}

fn fact(r: &Resp, label: &str) -> String {
    facts(r)
        .into_iter()
        .find(|(k, _)| k == label)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no fact {label}"))
}

const EDIT: &str = "/admin/catalogue/420100-SCJGJ-XK-001/edit";
const DRAFT: &str = "/admin/catalogue/420100-SCJGJ-XK-001/draft";
const PUBLISH: &str = "/admin/catalogue/420100-SCJGJ-XK-001/publish";
const NEW_NAME: &str = "《公司登记（备案）申请书》（2026年版）";

#[tokio::test]
async fn admin_edits_publishes_and_the_guide_keeps_old_versions() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;

    let page = admin.get(EDIT).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The code cannot be changed; materials have indexed names and ids.
    assert!(page.has("input#field-code[readonly]"));
    assert!(page.has("input#field-materials-0-name-zh[name='materials[0].name_zh']"));
    let old_name = page.attrs("#field-materials-0-name-zh", "value").remove(0);
    // Existing rows plus three blank ones.
    let codes = page.attrs("input[name$='].code'][name^='materials[']", "value");
    assert_eq!(
        codes.iter().filter(|c| c.is_empty()).count(),
        3,
        "{codes:?}"
    );
    assert!(page.has("a[href='/items/420100-SCJGJ-XK-001?version=1']"));

    let mut form = page.form("form.item-form");
    assert_eq!(get(&form, "promised_limit_days"), "1");
    set(&mut form, "promised_limit_days", "2");
    set(&mut form, "materials[0].name_zh", NEW_NAME);
    let saved = admin.post(DRAFT, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        Some("/admin/catalogue/420100-SCJGJ-XK-001/edit?notice=saved")
    );

    let draft = t
        .app
        .store
        .draft_item(ITEM)
        .await
        .unwrap()
        .expect("a draft");
    assert_eq!(draft.version, 2);
    assert_eq!(draft.body.promised_limit_days, 2);
    assert_eq!(draft.body.materials[0].name.zh, NEW_NAME);
    // Nothing else changed on the way through the form.
    let published = t.app.store.published_item(ITEM).await.unwrap().unwrap();
    let mut expected = published.body.clone();
    expected.promised_limit_days = 2;
    expected.materials[0].name.zh = NEW_NAME.to_owned();
    assert_eq!(draft.body, expected);

    // The public guide still shows the published version until publication.
    let guide = admin.get("/items/420100-SCJGJ-XK-001").await;
    assert_eq!(fact(&guide, "承诺办结时限"), "1 个工作日");

    // The edit page now shows the draft, the notice and a publish button.
    let page = admin
        .get("/admin/catalogue/420100-SCJGJ-XK-001/edit?notice=saved")
        .await;
    assert!(page.has(".notice"));
    assert_eq!(page.attrs("#field-promised_limit_days", "value"), vec!["2"]);
    let mut publish = page.form("form[action='/admin/catalogue/420100-SCJGJ-XK-001/publish']");
    assert_eq!(get(&publish, "version"), "2");
    let done = admin.post(PUBLISH, &publish).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

    let guide = admin.get("/items/420100-SCJGJ-XK-001").await;
    assert_eq!(guide.status, StatusCode::OK);
    assert_eq!(fact(&guide, "承诺办结时限"), "2 个工作日");
    assert!(guide.body.contains(NEW_NAME));
    let old = admin.get("/items/420100-SCJGJ-XK-001?version=1").await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(fact(&old, "承诺办结时限"), "1 个工作日");
    assert!(old.body.contains(&old_name));
    assert!(!old.body.contains(NEW_NAME));

    // Publishing the same version again is a conflict, not a second publication.
    set(&mut publish, "version", "2");
    let again = admin.post(PUBLISH, &publish).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // The history lists both versions.
    let page = admin.get(EDIT).await;
    assert!(page.has("a[href='/items/420100-SCJGJ-XK-001?version=2']"));
    assert!(page.has("a[href='/items/420100-SCJGJ-XK-001?version=1']"));
}

#[tokio::test]
async fn an_invalid_edit_is_shown_with_every_error_and_saves_nothing() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let page = admin.get(EDIT).await;
    let mut form = page.form("form.item-form");
    // Statutory limit is 3: promise more. Material 1 (M02) becomes conditional without a condition.
    set(&mut form, "promised_limit_days", "5");
    assert_eq!(get(&form, "materials[1].required"), "on");
    remove(&mut form, "materials[1].required");
    set(&mut form, "materials[1].condition", "");
    // A new material typed into the first blank row is kept on re-render.
    let blank = page
        .attrs("input[name$='].code'][name^='materials[']", "value")
        .iter()
        .position(String::is_empty)
        .unwrap();
    set(&mut form, &format!("materials[{blank}].code"), "M99");
    set(
        &mut form,
        &format!("materials[{blank}].name_zh"),
        "补充说明",
    );
    set(
        &mut form,
        &format!("materials[{blank}].name_en"),
        "Supplement",
    );
    set(&mut form, &format!("materials[{blank}].copies"), "1");
    let audit_before = t.app.store.audit_head().await.unwrap().0;

    let r = admin.post(DRAFT, &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let links = r.attrs(".error-summary a", "href");
    assert!(
        links.contains(&"#field-promised_limit_days".to_owned()),
        "{links:?}"
    );
    assert!(
        links.contains(&"#field-materials-1-condition".to_owned()),
        "{links:?}"
    );
    // Every link leads to an element of the form.
    for l in &links {
        assert!(r.has(l), "{l} does not exist");
    }
    assert!(r.has("#field-materials-1-condition-error"));
    // The input is kept.
    assert_eq!(r.attrs("#field-promised_limit_days", "value"), vec!["5"]);
    assert!(r.has("#field-materials-1-required:not([checked])"));
    assert_eq!(
        r.attrs(&format!("#field-materials-{blank}-code"), "value"),
        vec!["M99"]
    );
    // Still three blank rows after the typed ones.
    let codes = r.attrs("input[name$='].code'][name^='materials[']", "value");
    assert_eq!(
        codes.iter().filter(|c| c.is_empty()).count(),
        3,
        "{codes:?}"
    );

    assert!(t.app.store.draft_item(ITEM).await.unwrap().is_none());
    assert_eq!(t.app.store.audit_head().await.unwrap().0, audit_before);

    // Unreadable values are reported too, with the same field ids.
    set(&mut form, "promised_limit_days", "zwei");
    let r = admin.post(DRAFT, &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let links = r.attrs(".error-summary a", "href");
    assert!(
        links.contains(&"#field-promised_limit_days".to_owned()),
        "{links:?}"
    );
    assert!(
        links.contains(&"#field-materials-1-condition".to_owned()),
        "{links:?}"
    );
    assert_eq!(r.attrs("#field-promised_limit_days", "value"), vec!["zwei"]);
    assert!(t.app.store.draft_item(ITEM).await.unwrap().is_none());
}

#[tokio::test]
async fn a_new_item_is_created_as_a_draft_and_codes_are_unique() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let page = admin.get("/admin/catalogue/new").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has("input#field-code:not([readonly])"));
    let mut form = page.form("form.item-form");
    for (k, v) in [
        ("code", "420100-SCJGJ-XK-099"),
        ("name_zh", "测试许可事项"),
        ("name_en", "Test licence"),
        ("keywords", "测试、试验, test"),
        ("region", "420100"),
        ("level", "city"),
        ("competent_department", "420100-SCJGJ"),
        ("implementing_body", "420100-SCJGJ"),
        ("legal_basis", "《测试条例》第一条\n《测试条例》第二条"),
        ("conditions", "申请人符合条件"),
        ("statutory_limit_days", "10"),
        ("promised_limit_days", "3"),
        ("result_name_zh", "测试许可证"),
        ("result_name_en", "Test licence"),
        ("consultation_phone", "027-12345"),
        ("complaint_phone", "12345"),
        ("place", "武汉市民之家"),
        ("hours", "工作日 9:00-17:00"),
        ("materials[0].code", "M01"),
        ("materials[0].name_zh", "申请书"),
        ("materials[0].name_en", "Application form"),
        ("materials[0].originals", "1"),
        ("situations[0].code", "S01"),
        ("situations[0].name_zh", "新办"),
        ("situations[0].name_en", "New"),
        ("situations[0].materials", "M01"),
        ("fees[0].name_zh", "工本费"),
        ("fees[0].name_en", "Fee"),
        ("fees[0].basis", "价格文件"),
        ("fees[0].amount", "120.00"),
    ] {
        set(&mut form, k, v);
    }
    let r = admin.post("/admin/catalogue/new", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/admin/catalogue/420100-SCJGJ-XK-099/edit?notice=saved")
    );
    let draft = t
        .app
        .store
        .draft_item("420100-SCJGJ-XK-099")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.body.keywords, vec!["测试", "试验", "test"]);
    assert_eq!(draft.body.legal_basis.len(), 2);
    assert_eq!(draft.body.materials.len(), 1);
    assert_eq!(draft.body.fees[0].amount_fen, 12_000);
    let list = admin.get("/admin/catalogue").await;
    assert!(list.has("#drafts a[href='/admin/catalogue/420100-SCJGJ-XK-099/edit']"));

    // The same code again is refused, not silently turned into an edit.
    let r = admin.post("/admin/catalogue/new", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has(".error-summary a[href='#field-code']"));
    // An existing item's code too.
    set(&mut form, "code", ITEM);
    let r = admin.post("/admin/catalogue/new", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(t.app.store.draft_item(ITEM).await.unwrap().is_none());
}

#[tokio::test]
async fn an_editor_saves_drafts_but_cannot_publish() {
    let t = TestApp::start().await;
    let mut editor = t.signed_in(EDITOR).await;
    let page = editor.get(EDIT).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // No publish controls for someone without catalogue.publish.
    assert!(!page.has("form[action$='/publish']"));
    let mut form = page.form("form.item-form");
    set(&mut form, "promised_limit_days", "2");
    let r = editor.post(DRAFT, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draft = t.app.store.draft_item(ITEM).await.unwrap().unwrap();

    let token = editor.csrf(EDIT).await;
    let r = editor
        .post(
            PUBLISH,
            &admin_common::pairs(&[
                ("csrf_token", &token),
                ("version", &draft.version.to_string()),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("catalogue.publish"), "{}", r.body);
    let still = t
        .app
        .store
        .item_version(ITEM, draft.version)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, ItemStatus::Draft);
    assert_eq!(
        t.app
            .store
            .published_item(ITEM)
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );

    // Editors may not export (data.export) either; the menu does not offer it.
    let list = editor.get("/admin/catalogue").await;
    assert!(!list.has("a[href='/admin/catalogue/export']"));
    let r = editor.get("/admin/catalogue/export").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_contractor_sees_no_catalogue_administration_and_cannot_publish() {
    let t = TestApp::start().await;
    // A draft exists (saved by the administrator).
    let mut admin = t.signed_in(ADMIN).await;
    let page = admin.get(EDIT).await;
    let mut form = page.form("form.item-form");
    set(&mut form, "promised_limit_days", "2");
    assert_eq!(admin.post(DRAFT, &form).await.status, StatusCode::SEE_OTHER);

    let mut helper = t.signed_in(HELPER).await;
    let home = helper.get("/").await;
    assert!(!home.has("a[href='/admin']"), "no admin menu for a helper");
    for path in ["/admin", "/admin/catalogue", EDIT, "/admin/catalogue/new"] {
        let r = helper.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!r.has("a[href='/admin/catalogue']"), "{path}");
    }
    let token = helper.csrf("/account").await;
    let r = helper
        .post(
            PUBLISH,
            &admin_common::pairs(&[("csrf_token", &token), ("version", "2")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        r.body.contains("外包服务人员不得行使政府固有核心职能"),
        "{}",
        r.body
    );
    let mut again = form.clone();
    set(&mut again, "csrf_token", &token);
    set(&mut again, "promised_limit_days", "3");
    let r = helper.post(DRAFT, &again).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let draft = t.app.store.draft_item(ITEM).await.unwrap().unwrap();
    assert_eq!(draft.body.promised_limit_days, 2);
    assert_eq!(
        t.app
            .store
            .published_item(ITEM)
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
}

#[tokio::test]
async fn retire_needs_the_publisher() {
    let t = TestApp::start().await;
    let mut editor = t.signed_in(EDITOR).await;
    let token = editor.csrf(EDIT).await;
    let r = editor
        .post(
            "/admin/catalogue/420100-SCJGJ-XK-001/retire",
            &admin_common::pairs(&[("csrf_token", &token)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut admin = t.signed_in(ADMIN).await;
    let page = admin.get(EDIT).await;
    let form = page.form("form[action='/admin/catalogue/420100-SCJGJ-XK-001/retire']");
    let r = admin
        .post("/admin/catalogue/420100-SCJGJ-XK-001/retire", &form)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(t.app.store.published_item(ITEM).await.unwrap().is_none());
    assert_eq!(
        admin.get("/items/420100-SCJGJ-XK-001").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn export_downloads_json_and_import_reports_every_bad_field() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let r = admin.get("/admin/catalogue/export").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let disposition = r.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let mut doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(doc["format"], "onetrip-catalogue/1");

    // Two bad fields in one item, another in a second one. Items of Hubei,
    // where the administrator holds catalogue rights; the organisations are
    // already stored.
    for key in ["regions", "departments", "service_centres", "bundles"] {
        doc[key] = serde_json::json!([]);
    }
    let items = doc["items"].as_array_mut().unwrap();
    items.retain(|i| i["region"].as_str().unwrap().starts_with("42") && i["status"] == "published");
    items.truncate(2);
    items[0]["promised_limit_days"] = serde_json::json!(99);
    items[0]["materials"][0]["required"] = serde_json::json!(false);
    items[0]["materials"][0]["condition"] = serde_json::Value::Null;
    items[1]["delivery_channels"] = serde_json::json!([]);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let before = t.app.store.audit_head().await.unwrap().0;
    let r = admin
        .submit(
            "/admin/catalogue/import",
            "/admin/catalogue/import",
            &[("document", &text)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let listed = r.texts(".import-errors code").join(" ");
    for f in [
        "items[0].promised_limit_days",
        "items[0].materials[0].condition",
        "items[1].delivery_channels",
    ] {
        assert!(listed.contains(f), "{f} missing from {listed}");
    }
    // The document stays in the textarea; nothing was imported.
    assert!(r.texts("#field-document")[0].contains("onetrip-catalogue/1"));
    assert_eq!(t.app.store.audit_head().await.unwrap().0, before);

    // Unreadable JSON.
    let r = admin
        .submit(
            "/admin/catalogue/import",
            "/admin/catalogue/import",
            &[("document", "{\"format\": ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has(".error-summary a[href='#field-document']"));

    // A good document: one new draft item.
    let mut doc: serde_json::Value =
        serde_json::from_str(&admin.get("/admin/catalogue/export").await.body).unwrap();
    let mut item = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == ITEM)
        .unwrap()
        .clone();
    item["code"] = serde_json::json!("420100-SCJGJ-XK-777");
    item["status"] = serde_json::json!("draft");
    doc["items"] = serde_json::json!([item]);
    for key in ["regions", "departments", "service_centres", "bundles"] {
        doc[key] = serde_json::json!([]);
    }
    let text = serde_json::to_string(&doc).unwrap();
    let r = admin
        .submit(
            "/admin/catalogue/import",
            "/admin/catalogue/import",
            &[("document", &text)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        t.app
            .store
            .draft_item("420100-SCJGJ-XK-777")
            .await
            .unwrap()
            .is_some()
    );
}
