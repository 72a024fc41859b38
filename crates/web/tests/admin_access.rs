//! Who reaches the admin pages at all, and CSRF on every admin form.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin_common;

use admin_common::{ADMIN, HELPER, TestApp, pairs};
use axum::http::StatusCode;

const PAGES: &[&str] = &[
    "/admin",
    "/admin/catalogue",
    "/admin/catalogue/new",
    "/admin/catalogue/420100-SCJGJ-XK-001/edit",
    "/admin/catalogue/import",
    "/admin/staff",
    "/admin/staff/1",
    "/admin/roles",
    "/admin/audit",
];

#[tokio::test]
async fn anonymous_visitors_sign_in_first_and_applicants_are_refused() {
    let t = TestApp::start().await;
    let mut anonymous = t.client();
    for path in PAGES {
        let r = anonymous.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            r.location().unwrap().starts_with("/login?next=%2Fadmin"),
            "{path}"
        );
    }
    let r = anonymous.get("/admin/catalogue/export").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let applicant = t.app.store.list_applicants(1).await.unwrap().remove(0);
    let mut c = t.client();
    let r = c
        .submit(
            "/login",
            "/login",
            &[
                ("kind", "applicant"),
                ("username", applicant.identity.identifier()),
                ("password", "Demo-applicant-2026"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for path in PAGES {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn the_dashboard_links_only_to_sections_the_user_may_use() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let r = admin.get("/admin").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for href in [
        "/admin/catalogue",
        "/admin/catalogue/import",
        "/admin/catalogue/export",
        "/admin/staff",
        "/admin/roles",
        "/admin/audit",
    ] {
        assert!(r.has(&format!(".admin-cards a[href='{href}']")), "{href}");
    }
    let counts = r.texts(".admin-count").join(" ");
    let published = t
        .app
        .store
        .list_items(&Default::default())
        .await
        .unwrap()
        .len();
    let staff = t.app.store.list_staff().await.unwrap().len();
    assert!(
        counts.contains(&format!("{published} 项已发布事项")),
        "{counts}"
    );
    assert!(counts.contains("2 份草稿"), "{counts}");
    assert!(
        counts.contains(&format!("{staff} 个工作人员账号")),
        "{counts}"
    );
    assert!(r.has("nav.admin-nav a[aria-current=page][href='/admin']"));

    let mut helper = t.signed_in(HELPER).await;
    let r = helper.get("/admin").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.has(".admin-cards"));
}

#[tokio::test]
async fn every_admin_post_needs_the_csrf_token() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let officer = t.staff_id("liqiang").await;
    let posts = [
        (
            "/admin/catalogue/new".to_owned(),
            vec![("code", "420100-SCJGJ-XK-098")],
        ),
        (
            "/admin/catalogue/420100-SCJGJ-XK-001/draft".to_owned(),
            vec![("promised_limit_days", "2")],
        ),
        (
            "/admin/catalogue/420100-SCJGJ-XK-006/publish".to_owned(),
            vec![("version", "1")],
        ),
        (
            "/admin/catalogue/420100-SCJGJ-XK-001/retire".to_owned(),
            vec![],
        ),
        (
            "/admin/catalogue/import".to_owned(),
            vec![("document", "{}")],
        ),
        ("/admin/staff".to_owned(), vec![("username", "newbie")]),
        (
            format!("/admin/staff/{officer}/grants"),
            vec![("role", "reviewer"), ("region", "420100")],
        ),
        (format!("/admin/staff/{officer}/disable"), vec![]),
        (format!("/admin/staff/{officer}/sessions/revoke"), vec![]),
        (
            "/admin/roles".to_owned(),
            vec![("form", "new"), ("code", "x_role")],
        ),
    ];
    let before = t.app.store.audit_head().await.unwrap().0;
    for (path, fields) in &posts {
        let r = admin.post(path, &pairs(fields)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} without a token");
        let mut with_wrong = fields.clone();
        with_wrong.push(("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        let r = admin.post(path, &pairs(&with_wrong)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} with a wrong token");
    }
    assert_eq!(
        t.app.store.audit_head().await.unwrap().0,
        before,
        "nothing happened"
    );
    assert!(
        !t.app
            .store
            .staff_by_id(officer)
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
}

#[tokio::test]
async fn admin_pages_are_translated_labelled_and_have_unique_ids() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let helper = t.staff_id("wangfang").await;
    let pages = [
        "/admin".to_owned(),
        "/admin/catalogue".to_owned(),
        "/admin/catalogue/new".to_owned(),
        "/admin/catalogue/420100-SCJGJ-XK-001/edit".to_owned(),
        "/admin/catalogue/import".to_owned(),
        "/admin/staff".to_owned(),
        format!("/admin/staff/{helper}"),
        "/admin/roles".to_owned(),
        "/admin/audit".to_owned(),
    ];
    for lang in ["zh", "en"] {
        let r = admin.get(&format!("/lang/{lang}?next=/")).await;
        assert!(r.status.is_redirection(), "{lang}");
        for path in &pages {
            let r = admin.get(path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(
                !r.body.contains("??"),
                "{path} ({lang}) has a missing message"
            );
            let ids = r.attrs("[id]", "id");
            let mut seen = std::collections::HashSet::new();
            for id in &ids {
                assert!(seen.insert(id), "{path}: duplicate id {id}");
            }
            // Every visible input, select and textarea has a label.
            let labels: std::collections::HashSet<String> =
                r.attrs("label[for]", "for").into_iter().collect();
            for id in r.attrs("input:not([type=hidden]), select, textarea", "id") {
                assert!(labels.contains(&id), "{path}: no label for {id}");
            }
            // Controls without an id are wrapped in their label.
            let bare = "input:not([type=hidden]):not([id]), select:not([id]), textarea:not([id])";
            let wrapped = "label input:not([type=hidden]):not([id])";
            assert_eq!(
                r.attrs(bare, "name").len(),
                r.attrs(wrapped, "name").len(),
                "{path}: unlabelled controls"
            );
        }
    }
}
