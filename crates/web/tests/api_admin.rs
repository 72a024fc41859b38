//! Staff, grants and roles through the real router, including the negative
//! list: core permissions never reach contractor staff.

// Test helpers outside #[test] functions panic on purpose (clippy.toml only
// covers the test functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_common;

use api_common::{ADMIN, Auth, HELPER, OFFICER, TestApp, fields, on_each_engine};
use axum::http::Method;
use serde_json::{Value, json};

fn grant(role: &str, region: &str) -> Value {
    json!({ "role": role, "region": region })
}

#[tokio::test]
async fn contractor_staff_never_get_a_core_role() {
    on_each_engine(|t: TestApp| async move {
        let admin = t.login(ADMIN).await;
        let wangfang = t.staff_id("wangfang").await;
        let before = t.app.store.list_grants(wangfang).await.expect("grants");
        let uri = format!("/api/v1/staff/{wangfang}/grants");

        let p = t
            .send(
                Method::POST,
                &uri,
                admin.bearer(),
                Some(&grant("approval_officer", "420100")),
            )
            .await
            .problem(403, "forbidden");
        let message = p["message"].as_str().expect("message");
        assert!(
            message.contains("contractor staff may never hold the core permission"),
            "{message}"
        );
        assert!(message.contains("外包服务人员不得行使政府固有核心职能"), "{message}");
        let after = t.app.store.list_grants(wangfang).await.expect("grants");
        assert_eq!(before, after, "no grant may be stored");
        let detail = t
            .get_as(&format!("/api/v1/staff/{wangfang}"), admin.bearer())
            .await
            .expect(200)
            .json();
        assert_eq!(detail["staff"]["employment_type"], "contractor");
        assert_eq!(
            detail["grants"].as_array().expect("grants").len(),
            before.len()
        );
        // Nor catalogue publishing, another core permission.
        t.send(
            Method::POST,
            &uri,
            admin.bearer(),
            Some(&grant("catalogue_publisher", "420100")),
        )
        .await
        .problem(403, "forbidden");

        // A non-core role is fine, and can be removed again.
        let created = t
            .send(Method::POST, &uri, admin.bearer(), Some(&grant("reviewer", "420111")))
            .await
            .expect(201)
            .json();
        let grant_id = created["id"].as_i64().expect("id");
        t.send(Method::POST, &uri, admin.bearer(), Some(&grant("reviewer", "420111")))
            .await
            .problem(409, "conflict");
        let liqiang = t.staff_id("liqiang").await;
        // The grant belongs to wangfang, not to liqiang.
        t.send(
            Method::DELETE,
            &format!("/api/v1/staff/{liqiang}/grants/{grant_id}"),
            admin.bearer(),
            None,
        )
        .await
        .problem(404, "not_found");
        t.send(
            Method::DELETE,
            &format!("/api/v1/staff/{wangfang}/grants/{grant_id}"),
            admin.bearer(),
            None,
        )
        .await
        .expect(204);
        assert_eq!(
            t.app.store.list_grants(wangfang).await.expect("grants"),
            before
        );

        // Civil servants may hold core roles.
        t.send(
            Method::POST,
            &format!("/api/v1/staff/{liqiang}/grants"),
            admin.bearer(),
            Some(&json!({ "role": "approval_officer", "region": "420111", "department": "420111-SCJGJ" })),
        )
        .await
        .expect(201);

        // Bad input.
        let p = t
            .send(Method::POST, &uri, admin.bearer(), Some(&grant("reviewer", "99")))
            .await
            .problem(422, "invalid_input");
        assert_eq!(fields(&p), vec!["region".to_owned()]);
        let p = t
            .send(Method::POST, &uri, admin.bearer(), Some(&grant("no_such_role", "420100")))
            .await
            .problem(422, "invalid_input");
        assert_eq!(fields(&p), vec!["role".to_owned()]);
        let p = t
            .send(
                Method::POST,
                &uri,
                admin.bearer(),
                Some(&json!({ "role": "reviewer", "region": "420111", "department": "330521-GAJ" })),
            )
            .await
            .problem(422, "invalid_input");
        assert_eq!(fields(&p), vec!["department".to_owned()]);
        t.send(
            Method::POST,
            "/api/v1/staff/999999/grants",
            admin.bearer(),
            Some(&grant("reviewer", "420100")),
        )
        .await
        .problem(404, "not_found");

        // Only role.manage grants.
        let officer = t.login(OFFICER).await;
        t.send(Method::POST, &uri, officer.bearer(), Some(&grant("reviewer", "420100")))
            .await
            .problem(403, "forbidden");
        t.send(Method::POST, &uri, Auth::None, Some(&grant("reviewer", "420100")))
            .await
            .problem(401, "unauthenticated");
    })
    .await;
}

#[tokio::test]
async fn staff_accounts() {
    on_each_engine(|t: TestApp| async move {
        let admin = t.login(ADMIN).await;
        let helper = t.login(HELPER).await;

        t.get("/api/v1/staff").await.problem(401, "unauthenticated");
        t.get_as("/api/v1/staff", helper.bearer())
            .await
            .problem(403, "forbidden");
        let list = t
            .get_as("/api/v1/staff", admin.bearer())
            .await
            .expect(200)
            .json();
        let names: Vec<&str> = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|s| s["username"].as_str())
            .collect();
        assert!(names.contains(&"admin") && names.contains(&"wangfang"));
        assert!(!list.to_string().contains("argon2"), "no password hashes");

        let new = json!({
            "username": "zhoulei",
            "display_name": "周磊",
            "employment_type": "public_institution",
            "password": "Initial-pass-2026",
        });
        t.send(Method::POST, "/api/v1/staff", helper.bearer(), Some(&new))
            .await
            .problem(403, "forbidden");
        let created = t
            .send(Method::POST, "/api/v1/staff", admin.bearer(), Some(&new))
            .await
            .expect(201)
            .json();
        assert_eq!(created["username"], "zhoulei");
        assert_eq!(created["disabled"], false);
        let id = created["id"].as_i64().expect("id");
        t.send(Method::POST, "/api/v1/staff", admin.bearer(), Some(&new))
            .await
            .problem(409, "conflict");
        let p = t
            .send(
                Method::POST,
                "/api/v1/staff",
                admin.bearer(),
                Some(&json!({ "username": "X", "employment_type": "intern", "password": "short" })),
            )
            .await
            .problem(422, "invalid_input");
        let f = fields(&p);
        for field in ["username", "display_name", "employment_type", "password"] {
            assert!(f.contains(&field.to_owned()), "{field} missing in {f:?}");
        }

        let detail = t
            .get_as(&format!("/api/v1/staff/{id}"), admin.bearer())
            .await
            .expect(200)
            .json();
        assert_eq!(detail["staff"]["display_name"], "周磊");
        assert!(detail["grants"].as_array().expect("grants").is_empty());
        t.get_as("/api/v1/staff/999999", admin.bearer())
            .await
            .problem(404, "not_found");
        t.get_as("/api/v1/staff/abc", admin.bearer())
            .await
            .problem(400, "invalid_path");

        // Disabling ends the sessions and blocks sign-in; enabling restores sign-in.
        let zhoulei = t.login(("zhoulei", "Initial-pass-2026")).await;
        let disabled = t
            .send(
                Method::POST,
                &format!("/api/v1/staff/{id}/disable"),
                admin.bearer(),
                None,
            )
            .await
            .expect(200)
            .json();
        assert_eq!(disabled["disabled"], true);
        t.get_as("/api/v1/me", zhoulei.bearer())
            .await
            .problem(401, "unauthenticated");
        t.send(
            Method::POST,
            "/api/v1/sessions",
            Auth::None,
            Some(
                &json!({ "kind": "staff", "username": "zhoulei", "password": "Initial-pass-2026" }),
            ),
        )
        .await
        .problem(401, "bad_credentials");
        let enabled = t
            .send(
                Method::POST,
                &format!("/api/v1/staff/{id}/enable"),
                admin.bearer(),
                None,
            )
            .await
            .expect(200)
            .json();
        assert_eq!(enabled["disabled"], false);
        let zhoulei = t.login(("zhoulei", "Initial-pass-2026")).await;
        // Nobody disables their own account.
        t.send(
            Method::POST,
            &format!("/api/v1/staff/{}/disable", admin.id),
            admin.bearer(),
            None,
        )
        .await
        .problem(409, "conflict");
        t.send(
            Method::POST,
            "/api/v1/staff/999999/disable",
            admin.bearer(),
            None,
        )
        .await
        .problem(404, "not_found");

        // Ending sessions: someone else's needs staff.manage; one's own is allowed.
        t.send(
            Method::DELETE,
            &format!("/api/v1/staff/{id}/sessions"),
            helper.bearer(),
            None,
        )
        .await
        .problem(403, "forbidden");
        let ended = t
            .send(
                Method::DELETE,
                &format!("/api/v1/staff/{id}/sessions"),
                admin.bearer(),
                None,
            )
            .await
            .expect(200)
            .json();
        assert_eq!(ended["revoked"], 1);
        t.get_as("/api/v1/me", zhoulei.bearer())
            .await
            .problem(401, "unauthenticated");
        let helper_id = helper.id;
        let own = t
            .send(
                Method::DELETE,
                &format!("/api/v1/staff/{helper_id}/sessions"),
                helper.bearer(),
                None,
            )
            .await
            .expect(200)
            .json();
        assert_eq!(own["revoked"], 1);
        t.send(
            Method::DELETE,
            "/api/v1/staff/999999/sessions",
            admin.bearer(),
            None,
        )
        .await
        .problem(404, "not_found");
    })
    .await;
}

#[tokio::test]
async fn roles() {
    on_each_engine(|t: TestApp| async move {
        let admin = t.login(ADMIN).await;
        let helper = t.login(HELPER).await;

        t.get("/api/v1/roles").await.problem(401, "unauthenticated");
        let roles = t
            .get_as("/api/v1/roles", helper.bearer())
            .await
            .expect(200)
            .json();
        let find = |roles: &Value, code: &str| {
            roles["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|r| r["code"] == code)
                .cloned()
        };
        let officer = find(&roles, "approval_officer").expect("approval_officer");
        assert_eq!(officer["core"], true);
        assert!(
            officer["permissions"]
                .as_array()
                .expect("permissions")
                .contains(&json!("case.approve"))
        );
        assert_eq!(find(&roles, "helper").expect("helper")["core"], false);

        // Unknown permission codes are each listed.
        let p = t
            .send(
                Method::PUT,
                "/api/v1/roles/night_desk",
                admin.bearer(),
                Some(&json!({ "name_zh": "夜间窗口", "name_en": "Night desk", "permissions": ["case.consult", "case.fly", "queue.operate", "nope"] })),
            )
            .await
            .problem(422, "invalid_input");
        assert_eq!(
            fields(&p),
            vec!["permissions[1]".to_owned(), "permissions[3]".to_owned()]
        );
        let p = t
            .send(
                Method::PUT,
                "/api/v1/roles/night_desk",
                admin.bearer(),
                Some(&json!({ "name_zh": "", "name_en": "", "permissions": [] })),
            )
            .await
            .problem(422, "invalid_input");
        let f = fields(&p);
        for field in ["name_zh", "name_en", "permissions"] {
            assert!(f.contains(&field.to_owned()), "{field} missing in {f:?}");
        }

        // Saving needs role.manage.
        let body = json!({ "name_zh": "夜间窗口", "name_en": "Night desk", "permissions": ["case.consult", "queue.operate"] });
        t.send(Method::PUT, "/api/v1/roles/night_desk", helper.bearer(), Some(&body))
            .await
            .problem(403, "forbidden");
        let saved = t
            .send(Method::PUT, "/api/v1/roles/night_desk", admin.bearer(), Some(&body))
            .await
            .expect(200)
            .json();
        assert_eq!(saved["code"], "night_desk");
        assert_eq!(saved["core"], false);
        let roles = t
            .get_as("/api/v1/roles", admin.bearer())
            .await
            .expect(200)
            .json();
        assert!(find(&roles, "night_desk").is_some());

        // A contractor holds `helper`: adding a core permission to it is refused.
        let p = t
            .send(
                Method::PUT,
                "/api/v1/roles/helper",
                admin.bearer(),
                Some(&json!({ "name_zh": "帮办代办员", "name_en": "Front-desk helper", "permissions": ["case.consult", "case.receive", "case.accept"] })),
            )
            .await
            .problem(403, "forbidden");
        assert!(
            p["message"]
                .as_str()
                .expect("message")
                .contains("contractor staff may never hold the core permission case.accept"),
            "{p}"
        );
        let stored = t.app.store.list_roles().await.expect("roles");
        let helper_role = stored
            .iter()
            .find(|r| r.code == "helper")
            .expect("helper role");
        assert!(!helper_role.is_core());
    })
    .await;
}
