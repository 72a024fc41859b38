//! Case pages through the real router: online application, uploads,
//! correction, acceptance, notices with QR code, public status, and the
//! negative list at the action endpoint. Runs on SQLite, and on PostgreSQL
//! too when `ONETRIP_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pages_common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pages_common::{Client, Page};

const ITEM: &str = "420100-SCJGJ-XK-001"; // 企业设立登记, S01 有限责任公司设立
const APPLICANT: (&str, &str) = ("420111199003151239", "Demo-applicant-2026");
const HELPER: (&str, &str) = ("wangfang", "Demo-helper-2026");
const OFFICER: (&str, &str) = ("liqiang", "Demo-officer-2026");

/// A small but real PNG: signature, IHDR, IDAT and IEND chunks.
fn png_bytes() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let chunk = |v: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        v.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&[0, 0, 0, 0]); // CRC is not checked by the sniffer
    };
    chunk(&mut v, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    chunk(
        &mut v,
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    );
    chunk(&mut v, b"IEND", &[]);
    v
}

/// Posts a multipart form with the CSRF token and one file.
async fn upload(c: &mut Client, path: &str, csrf: &str, name: &str, bytes: &[u8]) -> Page {
    let boundary = "----onetrip-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    c.send(
        Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn location(p: &Page) -> String {
    p.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Keys of the checklist as the case page lists them.
fn material_keys(p: &Page) -> Vec<String> {
    let sel = scraper::Selector::parse("tr.material").unwrap();
    p.html()
        .select(&sel)
        .filter_map(|e| e.value().attr("data-key").map(str::to_owned))
        .collect()
}

/// Keys whose row offers an upload form.
fn uploadable(p: &Page) -> Vec<String> {
    let rows = scraper::Selector::parse("tr.material").unwrap();
    let form = scraper::Selector::parse("form.upload-form").unwrap();
    p.html()
        .select(&rows)
        .filter(|r| r.select(&form).next().is_some())
        .filter_map(|e| e.value().attr("data-key").map(str::to_owned))
        .collect()
}

async fn signed_in(c: &Client, kind: &str, who: (&str, &str)) -> Client {
    let mut s = c.another();
    let p = s.sign_in(kind, who.0, who.1).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{} signs in", who.0);
    s
}

async fn lifecycle(mut c: Client, engine: &str) {
    // Anonymous visitors are sent to sign in and back.
    let anon = c.get(&format!("/apply/{ITEM}")).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER, "{engine}");
    assert!(location(&anon).starts_with("/login?next="), "{engine}");

    let mut a = signed_in(&c, "applicant", APPLICANT).await;
    // The guide links to the online application.
    let guide = a.get(&format!("/items/{ITEM}")).await;
    assert!(
        guide
            .html()
            .select(&scraper::Selector::parse(&format!("a[href='/apply/{ITEM}']")).unwrap())
            .next()
            .is_some(),
        "{engine}: apply link on the guide"
    );
    let form = a.get(&format!("/apply/{ITEM}?situation=S01")).await;
    assert_eq!(form.status, StatusCode::OK, "{engine}");
    assert!(form.body.contains("公司章程"), "{engine}: checklist shown");
    let csrf = form.csrf();

    // Bad input: every field named, nothing created.
    let before = c
        .app
        .my_cases(&a_principal(&c).await, 100)
        .await
        .unwrap()
        .len();
    let bad = a
        .post_form(
            &format!("/apply/{ITEM}"),
            &[
                ("csrf_token", &csrf),
                ("situation", "S01"),
                ("contact_name", ""),
                ("contact_phone", "123"),
                ("delivery_method", "courier"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
    let summary = bad.texts(".error-summary li a");
    for f in ["form.contact_name", "form.contact_phone", "courier.address"] {
        assert!(
            summary.iter().any(|s| s == f),
            "{engine}: {f} in {summary:?}"
        );
    }
    assert_eq!(
        c.app
            .my_cases(&a_principal(&c).await, 100)
            .await
            .unwrap()
            .len(),
        before,
        "{engine}: nothing created"
    );

    // A good application creates a draft and opens its case page.
    let created = a
        .post_form(
            &format!("/apply/{ITEM}"),
            &[
                ("csrf_token", &csrf),
                ("situation", "S01"),
                ("contact_name", "张伟"),
                ("contact_phone", "13871234567"),
                ("contact_address", "武汉市洪山区珞喻路1号"),
                ("description", "设立有限责任公司"),
                ("delivery_method", "pickup"),
            ],
        )
        .await;
    assert_eq!(
        created.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        created.body
    );
    let case_path = location(&created);
    let case_path = case_path.split('?').next().unwrap().to_owned();
    let id: i64 = case_path.trim_start_matches("/cases/").parse().unwrap();
    let page = a.get(&case_path).await;
    assert_eq!(page.status, StatusCode::OK, "{engine}");
    assert_eq!(
        page.texts(".case-status"),
        vec!["草稿".to_owned()],
        "{engine}"
    );
    let keys = material_keys(&page);
    assert!(keys.len() >= 6, "{engine}: {keys:?}");
    let csrf = page.csrf();

    // A text file named x.pdf is refused, naming the file field.
    let refused = upload(
        &mut a,
        &format!("/cases/{id}/materials/m01"),
        &csrf,
        "x.pdf",
        b"just some text, not a PDF",
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
    assert_eq!(
        refused.texts(".error-summary li a"),
        vec!["materials.m01.file".to_owned()],
        "{engine}"
    );
    assert!(
        refused
            .html()
            .select(&scraper::Selector::parse("#field-materials-m01-file").unwrap())
            .next()
            .is_some(),
        "{engine}: the summary links to the file input"
    );

    // Every required material: real PNG uploads, and the fillable form filled.
    let detail = c.app.store.case_detail(id).await.unwrap().unwrap();
    for e in detail
        .case
        .checklist
        .iter()
        .filter(|e| e.needed_from_applicant())
    {
        if e.is_fillable_form() {
            let p = a
                .post_form(
                    &format!("/cases/{id}/materials/{}/fill", e.key),
                    &[
                        ("csrf_token", &csrf),
                        ("text", "企业名称：武汉示例科技有限公司"),
                    ],
                )
                .await;
            assert_eq!(p.status, StatusCode::SEE_OTHER, "{engine}: fill {}", e.key);
        } else {
            let p = upload(
                &mut a,
                &format!("/cases/{id}/materials/{}", e.key),
                &csrf,
                &format!("{}.png", e.key),
                &png_bytes(),
            )
            .await;
            assert_eq!(
                p.status,
                StatusCode::SEE_OTHER,
                "{engine}: upload {}: {}",
                e.key,
                p.body
            );
        }
    }
    assert!(
        detail.case.checklist.iter().any(|e| e.is_fillable_form()),
        "{engine}: the item has a fillable form"
    );
    // The upload downloads as an attachment, never inline.
    let dl = a.get(&format!("/cases/{id}/materials/m01/1")).await;
    assert_eq!(dl.status, StatusCode::OK, "{engine}");
    assert_eq!(dl.headers[header::CONTENT_TYPE], "image/png", "{engine}");
    assert!(
        dl.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment"),
        "{engine}"
    );
    assert_eq!(dl.headers["x-content-type-options"], "nosniff", "{engine}");

    let submitted = a
        .post_form(&format!("/cases/{id}/submit"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        submitted.body
    );

    // The helper sees it in the front-desk queue and asks for one correction.
    let mut h = signed_in(&c, "staff", HELPER).await;
    let queue = h.get("/workbench?tab=intake").await;
    assert_eq!(queue.status, StatusCode::OK, "{engine}");
    assert!(
        queue
            .html()
            .select(&scraper::Selector::parse(&format!("a[href='/workbench/cases/{id}']")).unwrap())
            .next()
            .is_some(),
        "{engine}: the case is in the front-desk queue"
    );
    let staff_view = h.get(&format!("/workbench/cases/{id}")).await;
    assert_eq!(staff_view.status, StatusCode::OK, "{engine}");
    // A contractor is never offered acceptance.
    assert!(
        staff_view
            .html()
            .select(&scraper::Selector::parse("form.action-accept").unwrap())
            .next()
            .is_none(),
        "{engine}"
    );
    assert!(
        staff_view
            .html()
            .select(&scraper::Selector::parse("form.correction-builder").unwrap())
            .next()
            .is_some(),
        "{engine}"
    );
    let hcsrf = staff_view.csrf();
    // An empty note is named on its own row, and nothing is issued.
    let bad = h
        .post_form(
            &format!("/workbench/cases/{id}/actions/request_correction"),
            &[
                ("csrf_token", &hcsrf),
                ("target", "m05"),
                ("problem.m05", "unclear"),
                ("note.m05", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine}");
    assert_eq!(
        bad.texts(".error-summary li a"),
        vec!["request_correction.m05.note".to_owned()],
        "{engine}"
    );
    let asked = h
        .post_form(
            &format!("/workbench/cases/{id}/actions/request_correction"),
            &[
                ("csrf_token", &hcsrf),
                ("target", "m05"),
                ("problem.m05", "unclear"),
                ("note.m05", "住所使用证明扫描件不清晰，请重新上传"),
            ],
        )
        .await;
    assert_eq!(
        asked.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        asked.body
    );

    // The applicant sees the notice and may replace only the flagged material.
    let page = a.get(&case_path).await;
    assert_eq!(
        page.texts(".case-status"),
        vec!["待补正".to_owned()],
        "{engine}"
    );
    let flags = page.texts(".correction li.flag");
    assert_eq!(flags.len(), 1, "{engine}: {flags:?}");
    assert!(
        flags[0].contains("m05") && flags[0].contains("不清晰"),
        "{engine}: {flags:?}"
    );
    assert_eq!(uploadable(&page), vec!["m05".to_owned()], "{engine}");
    let notice_href = format!(
        "/cases/{id}/notices/{}",
        c.app
            .store
            .case_detail(id)
            .await
            .unwrap()
            .unwrap()
            .corrections[0]
            .notice_no
    );
    let notice = a.get(&notice_href).await;
    assert_eq!(notice.status, StatusCode::OK, "{engine}");
    assert!(notice.body.contains("一次性告知书"), "{engine}");
    let csrf = page.csrf();
    let not_flagged = upload(
        &mut a,
        &format!("/cases/{id}/materials/m01"),
        &csrf,
        "m01.png",
        &png_bytes(),
    )
    .await;
    assert_eq!(not_flagged.status, StatusCode::CONFLICT, "{engine}");
    let replaced = upload(
        &mut a,
        &format!("/cases/{id}/materials/m05"),
        &csrf,
        "m05-clear.png",
        &png_bytes(),
    )
    .await;
    assert_eq!(
        replaced.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        replaced.body
    );
    let page = a.get(&case_path).await;
    let row = page.texts("tr[data-key=m05] td.earlier");
    assert!(
        row[0].contains("m05.png"),
        "{engine}: earlier version listed: {row:?}"
    );
    // Only flagged fields are editable on resubmission; none was flagged.
    assert!(
        page.html()
            .select(&scraper::Selector::parse("form.resubmit-form input[type=text]").unwrap())
            .next()
            .is_none(),
        "{engine}"
    );
    let resubmitted = a
        .post_form(&format!("/cases/{id}/resubmit"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(
        resubmitted.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        resubmitted.body
    );

    // Pre-review by the helper; the contractor cannot accept (403).
    let staff_view = h.get(&format!("/workbench/cases/{id}")).await;
    let hcsrf = staff_view.csrf();
    let passed = h
        .post_form(
            &format!("/workbench/cases/{id}/actions/pass_pre_review"),
            &[("csrf_token", &hcsrf)],
        )
        .await;
    assert_eq!(
        passed.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        passed.body
    );
    let forbidden = h
        .post_form(
            &format!("/workbench/cases/{id}/actions/accept"),
            &[("csrf_token", &hcsrf)],
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN, "{engine}");
    assert!(
        forbidden.body.contains("case.accept"),
        "{engine}: {}",
        forbidden.body
    );

    // The officer of the department accepts; a second accept is a 409 naming what is allowed.
    let mut o = signed_in(&c, "staff", OFFICER).await;
    let view = o.get(&format!("/workbench/cases/{id}")).await;
    assert!(
        view.html()
            .select(&scraper::Selector::parse("form.action-accept").unwrap())
            .next()
            .is_some(),
        "{engine}"
    );
    let ocsrf = view.csrf();
    let accepted = o
        .post_form(
            &format!("/workbench/cases/{id}/actions/accept"),
            &[("csrf_token", &ocsrf)],
        )
        .await;
    assert_eq!(
        accepted.status,
        StatusCode::SEE_OTHER,
        "{engine}: {}",
        accepted.body
    );
    let again = o
        .post_form(
            &format!("/workbench/cases/{id}/actions/accept"),
            &[("csrf_token", &ocsrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{engine}");
    assert!(again.body.contains("当前可执行"), "{engine}");

    // The acceptance notice carries a QR code of the status link.
    let detail = c.app.store.case_detail(id).await.unwrap().unwrap();
    let acceptance = detail
        .notices
        .iter()
        .find(|n| n.kind == onetrip_domain::case::NoticeKind::Acceptance)
        .expect("acceptance notice");
    let notice = a
        .get(&format!("/cases/{id}/notices/{}", acceptance.notice_no))
        .await;
    assert_eq!(notice.status, StatusCode::OK, "{engine}");
    assert!(notice.body.contains("受理通知书"), "{engine}");
    assert!(
        notice
            .html()
            .select(&scraper::Selector::parse(".notice-qr svg").unwrap())
            .next()
            .is_some(),
        "{engine}: QR svg"
    );
    // The applicant's list shows the department now handling it.
    let list = a.get("/cases").await;
    assert!(list.body.contains(&detail.case.case_no), "{engine}");
    assert!(
        list.texts("td.case-status").contains(&"审查中".to_owned()),
        "{engine}"
    );

    // The public status page shows the status and no personal data.
    let token = c.app.status_token(&detail.case);
    let mut public = c.another();
    let status = public.get(&format!("/status/{token}")).await;
    assert_eq!(status.status, StatusCode::OK, "{engine}");
    assert_eq!(
        status.texts(".case-status"),
        vec!["审查中".to_owned()],
        "{engine}"
    );
    assert_eq!(
        status.texts(".case-no"),
        vec![detail.case.case_no.clone()],
        "{engine}"
    );
    for secret in [APPLICANT.0, "张伟", "13871234567", "珞喻路", "不清晰"] {
        assert!(
            !status.body.contains(secret),
            "{engine}: status page shows {secret}"
        );
    }
    let (nonce, _) = token.split_once('.').unwrap();
    let forged = public
        .get(&format!("/status/{nonce}.AAAAAAAAAAAAAAAAAAAAAAAA"))
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND, "{engine}");
    assert_eq!(
        public.get("/status/nonsense").await.status,
        StatusCode::NOT_FOUND,
        "{engine}"
    );
}

async fn a_principal(c: &Client) -> onetrip_app::auth::Principal {
    let record = c
        .app
        .store
        .applicant_by_identifier(APPLICANT.0)
        .await
        .unwrap()
        .unwrap();
    onetrip_app::auth::Principal::Applicant(record)
}

#[tokio::test]
async fn apply_upload_correct_accept_and_follow_on_both_engines() {
    let dir = tempfile::tempdir().unwrap();
    for (engine, url) in pages_common::engine_urls(dir.path()).await {
        let url = if engine == "sqlite" { None } else { Some(url) };
        let c = pages_common::demo_client_on(url).await;
        lifecycle(c, engine).await;
    }
}

#[tokio::test]
async fn workbench_and_calendar_pages_need_staff_and_name_bad_dates() {
    let c = pages_common::demo_client().await;
    let mut a = signed_in(&c, "applicant", APPLICANT).await;
    assert_eq!(a.get("/workbench").await.status, StatusCode::FORBIDDEN);
    let mut h = signed_in(&c, "staff", HELPER).await;
    let bad = h.get("/workbench?tab=intake&due_by=2026-13-45").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.texts(".error-summary li a"), vec!["due_by".to_owned()]);
    let mut admin = signed_in(&c, "staff", ("admin", "Demo-admin-2026")).await;
    let cal = admin.get("/admin/calendar").await;
    assert_eq!(cal.status, StatusCode::OK);
    assert!(cal.body.contains("2026"));
    let csrf = cal.csrf();
    let bad = admin
        .post_form(
            "/admin/calendar",
            &[
                ("csrf_token", &csrf),
                (
                    "document",
                    r#"{"year":2030,"source":"","holidays":[{"name":{"zh":"元旦","en":"New Year"},"from":"2030-01-03","to":"2030-01-01"}],"makeup_workdays":["2030-01-02"]}"#,
                ),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.texts(".error-summary li").len() >= 2, "{}", bad.body);
    let bundles = a.get("/bundles").await;
    assert!(bundles.body.contains("开办企业"));
    assert!(bundles.body.contains("/apply/bundle/420100-YJS-KBQY"));
}
