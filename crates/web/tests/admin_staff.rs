//! Staff and role administration through the real router: the negative
//! list, disabling, creating accounts, roles.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin_common;

use admin_common::{ADMIN, EDITOR, HELPER, OFFICER, TestApp, pairs};
use axum::http::StatusCode;

#[tokio::test]
async fn a_core_role_is_refused_to_contractor_staff_visibly_and_audited() {
    let t = TestApp::start().await;
    let helper_id = t.staff_id("wangfang").await;
    let mut admin = t.signed_in(ADMIN).await;
    let page_path = format!("/admin/staff/{helper_id}");
    let page = admin.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Contractor staff: the note next to the grant form, and core roles marked.
    assert!(page.has("#grant-contractor-note"));
    let options = page.texts("#field-role option").join("|");
    assert!(
        options.contains("审批人员（approval_officer）【核心职能】"),
        "{options}"
    );
    let grants_before = t.app.store.list_grants(helper_id).await.unwrap().len();

    let action = format!("/admin/staff/{helper_id}/grants");
    let r = admin
        .submit(
            &page_path,
            &action,
            &[
                ("role", "approval_officer"),
                ("region", "420100"),
                ("department", "420100-SCJGJ"),
                ("centre", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let summary = r.texts(".error-summary").join(" ");
    assert!(
        summary.contains("外包服务人员不得行使政府固有核心职能"),
        "{summary}"
    );
    assert!(r.has(".error-summary a[href='#field-role']"));
    assert!(r.has("#field-role-error"));
    // The form keeps the choice.
    assert_eq!(
        r.attrs("#field-role option[selected]", "value"),
        vec!["approval_officer"]
    );
    assert_eq!(
        t.app.store.list_grants(helper_id).await.unwrap().len(),
        grants_before
    );

    let audit = admin.get("/admin/audit").await;
    assert_eq!(audit.status, StatusCode::OK);
    let refused: Vec<String> = audit.texts("tr.audit-refused");
    assert!(
        refused.iter().any(|row| row.contains("grant.refused")
            && row.contains(&format!("staff:{helper_id}"))
            && row.contains("approval_officer")),
        "{refused:?}"
    );

    // A role without core permissions is granted, and can be revoked.
    let r = admin
        .submit(
            &page_path,
            &action,
            &[
                ("role", "reviewer"),
                ("region", "420100"),
                ("department", ""),
                ("centre", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let grants = t.app.store.list_grants(helper_id).await.unwrap();
    assert_eq!(grants.len(), grants_before + 1);
    let new = grants.iter().find(|g| g.role == "reviewer").unwrap();
    let page = admin.get(&page_path).await;
    let revoke = format!("/admin/staff/{helper_id}/grants/{}/revoke", new.id);
    let form = page.form(&format!("form[action='{revoke}']"));
    let r = admin.post(&revoke, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        t.app.store.list_grants(helper_id).await.unwrap().len(),
        grants_before
    );

    // A department outside the region is a field error (江夏区 does not contain a Wuhan city bureau).
    let r = admin
        .submit(
            &page_path,
            &action,
            &[
                ("role", "reviewer"),
                ("region", "420115"),
                ("department", "420100-RSJ"),
                ("centre", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.has(".error-summary a[href='#field-scope-department']"));
    assert!(r.has("#field-scope-department"));
}

#[tokio::test]
async fn disabling_a_person_ends_their_session_at_once() {
    let t = TestApp::start().await;
    let officer_id = t.staff_id("liqiang").await;
    let mut officer = t.signed_in(OFFICER).await;
    assert_eq!(officer.get("/account").await.status, StatusCode::OK);

    let mut admin = t.signed_in(ADMIN).await;
    let page_path = format!("/admin/staff/{officer_id}");
    let page = admin.get(&page_path).await;
    // The live session is listed.
    assert_eq!(
        page.texts("section[aria-labelledby=sessions-title] tbody tr")
            .len(),
        1
    );
    let disable = format!("/admin/staff/{officer_id}/disable");
    let form = page.form(&format!("form[action='{disable}']"));
    let r = admin.post(&disable, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        t.app
            .store
            .staff_by_id(officer_id)
            .await
            .unwrap()
            .unwrap()
            .disabled
    );

    let r = officer.get("/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login?next=%2Faccount"));

    // Shown as disabled, with an enable button; re-enabling does not revive the old session.
    let page = admin.get(&page_path).await;
    assert!(page.has(".tag.bad"));
    let enable = format!("/admin/staff/{officer_id}/enable");
    let form = page.form(&format!("form[action='{enable}']"));
    assert_eq!(
        admin.post(&enable, &form).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(officer.get("/account").await.status, StatusCode::SEE_OTHER);
    let mut again = t.signed_in(OFFICER).await;
    assert_eq!(again.get("/account").await.status, StatusCode::OK);

    // “End all sessions”.
    let page = admin.get(&page_path).await;
    let action = format!("/admin/staff/{officer_id}/sessions/revoke");
    let form = page.form(&format!("form[action='{action}']"));
    assert_eq!(
        admin.post(&action, &form).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(again.get("/account").await.status, StatusCode::SEE_OTHER);

    // Nobody disables their own account.
    let admin_id = t.staff_id("admin").await;
    let token = admin.csrf("/admin/staff").await;
    let r = admin
        .post(
            &format!("/admin/staff/{admin_id}/disable"),
            &pairs(&[("csrf_token", &token)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn staff_are_listed_and_created_with_every_error_shown() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let list = admin.get("/admin/staff").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let text = list.texts("table.admin-table tbody").join(" ");
    for s in [
        "admin",
        "wangfang",
        "liqiang",
        "chenjing",
        "外包服务人员",
        "事项编辑",
    ] {
        assert!(text.contains(s), "{s} missing");
    }
    assert!(list.has("a[href^='/admin/staff/']"));

    let r = admin
        .submit(
            "/admin/staff",
            "/admin/staff",
            &[
                ("username", "9x"),
                ("display_name", "新同事"),
                ("employment_type", "contractor"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let links = r.attrs(".error-summary a", "href");
    assert!(links.contains(&"#field-username".to_owned()), "{links:?}");
    assert!(links.contains(&"#field-password".to_owned()), "{links:?}");
    assert_eq!(r.attrs("#field-display_name", "value"), vec!["新同事"]);
    assert_eq!(
        r.attrs("input[name=employment_type][checked]", "value"),
        vec!["contractor"]
    );
    assert_eq!(r.attrs("#field-password", "value"), Vec::<String>::new());

    let r = admin
        .submit(
            "/admin/staff",
            "/admin/staff",
            &[
                ("username", "zhouxin"),
                ("display_name", "周鑫"),
                ("employment_type", "contractor"),
                ("password", "Good-password-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = t.staff_id("zhouxin").await;
    assert_eq!(
        r.location(),
        Some(format!("/admin/staff/{id}?notice=created").as_str())
    );
    let r = admin
        .submit(
            "/admin/staff",
            "/admin/staff",
            &[
                ("username", "zhouxin"),
                ("display_name", "周鑫"),
                ("employment_type", "civil_servant"),
                ("password", "Good-password-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.has(".error-summary a[href='#field-username']"));

    // An editor does not manage staff.
    let mut editor = t.signed_in(EDITOR).await;
    assert_eq!(
        editor.get("/admin/staff").await.status,
        StatusCode::FORBIDDEN
    );
    let admin_home = editor.get("/admin").await;
    assert_eq!(admin_home.status, StatusCode::OK);
    assert!(admin_home.has("nav.admin-nav a[href='/admin/catalogue']"));
    assert!(!admin_home.has("a[href='/admin/staff']"));
    assert!(!admin_home.has("a[href='/admin/audit']"));
}

#[tokio::test]
async fn roles_show_core_permissions_and_refuse_core_for_contractor_roles() {
    let t = TestApp::start().await;
    let mut admin = t.signed_in(ADMIN).await;
    let page = admin.get("/admin/roles").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let table = page.texts("table.admin-table tbody tr");
    let approval = table
        .iter()
        .find(|r| r.contains("approval_officer"))
        .unwrap();
    assert!(approval.contains("核心职能"), "{approval}");
    let helper = table.iter().find(|r| r.contains("helper")).unwrap();
    assert!(!helper.contains("核心职能"), "{helper}");

    // A new role with repeated permission checkboxes.
    let r = admin
        .submit(
            "/admin/roles",
            "/admin/roles",
            &[
                ("form", "new"),
                ("code", "queue_helper"),
                ("name_zh", "叫号员"),
                ("name_en", "Queue helper"),
                ("permissions", "queue.operate"),
                ("permissions", "case.consult"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let roles = t.app.store.list_roles().await.unwrap();
    let role = roles.iter().find(|r| r.code == "queue_helper").unwrap();
    assert_eq!(role.permissions.len(), 2);

    // Taking an existing code with the new-role form is refused.
    let r = admin
        .submit(
            "/admin/roles",
            "/admin/roles",
            &[
                ("form", "new"),
                ("code", "helper"),
                ("name_zh", "x"),
                ("name_en", "x"),
                ("permissions", "case.consult"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has(".error-summary a[href='#field-code']"));

    // Adding a core permission to the role contractor staff hold is refused, next to its form.
    let page = admin.get("/admin/roles").await;
    let mut form = page.form("#role-helper form");
    form.push(("permissions".to_owned(), "case.accept".to_owned()));
    let r = admin.post("/admin/roles", &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.has(".error-summary a[href='#field-roles-helper-permissions']"));
    assert!(r.has("#field-roles-helper-permissions"));
    assert!(
        r.has("#role-helper input[value='case.accept'][checked]"),
        "submitted choice kept"
    );
    let roles = t.app.store.list_roles().await.unwrap();
    let helper = roles.iter().find(|r| r.code == "helper").unwrap();
    assert!(helper.permissions.iter().all(|p| !p.is_core()));
    let audit = admin.get("/admin/audit").await;
    assert!(
        audit
            .texts("tr.audit-refused")
            .iter()
            .any(|r| r.contains("role.refused") && r.contains("role:helper"))
    );

    // An editor cannot edit roles.
    let mut helper_client = t.signed_in(HELPER).await;
    assert_eq!(
        helper_client.get("/admin/roles").await.status,
        StatusCode::FORBIDDEN
    );
}
