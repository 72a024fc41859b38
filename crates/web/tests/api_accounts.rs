//! Sessions, `/me`, CSRF on cookie-authenticated writes, and applicant
//! registration, through the real router.

// Test helpers outside #[test] functions panic on purpose (clippy.toml only
// covers the test functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_common;

use api_common::{ADMIN, Auth, HELPER, TestApp, fields, on_each_engine, on_sqlite};
use axum::http::Method;
use axum::http::header::{SET_COOKIE, WWW_AUTHENTICATE};
use onetrip_domain::identity::{CreditCode, ResidentIdNumber};
use serde_json::{Value, json};

fn sign_in(kind: &str, username: &str, password: &str) -> Value {
    json!({ "kind": kind, "username": username, "password": password })
}

#[tokio::test]
async fn sign_in_then_bearer_calls_then_sign_out() {
    on_each_engine(|t: TestApp| async move {
        let resp = t
            .send(
                Method::POST,
                "/api/v1/sessions",
                Auth::None,
                Some(&sign_in("staff", "Admin", ADMIN.1)),
            )
            .await
            .expect(201);
        assert!(resp.headers.get(SET_COOKIE).is_none_or(|c| {
            !c.to_str().unwrap_or_default().starts_with("onetrip_session=")
        }));
        let created = resp.json();
        let token = created["token"].as_str().expect("token").to_owned();
        assert!(token.len() >= 40);
        assert!(created["csrf_token"].as_str().expect("csrf").len() >= 40);
        assert!(created["expires_at"].as_i64().expect("expires_at") > t.app.now());
        assert_eq!(created["principal"]["kind"], "staff");
        assert_eq!(created["principal"]["staff"]["username"], "admin");

        let me = t
            .get_as("/api/v1/me", Auth::Bearer(&token))
            .await
            .expect(200)
            .json();
        assert_eq!(me["principal"]["kind"], "staff");
        assert_eq!(me["principal"]["staff"]["employment_type"], "civil_servant");
        assert_eq!(me["session"]["via"], "bearer");
        let perms = me["principal"]["staff"]["permissions"]
            .as_array()
            .expect("permissions");
        assert!(perms.contains(&json!("staff.manage")));
        assert!(perms.contains(&json!("catalogue.publish")));

        // Without a token, or with a wrong one.
        let resp = t.get("/api/v1/me").await;
        assert!(resp.headers.get(WWW_AUTHENTICATE).is_some());
        resp.problem(401, "unauthenticated");
        t.get_as("/api/v1/me", Auth::Bearer("not-a-token"))
            .await
            .problem(401, "unauthenticated");

        // Bearer writes need no CSRF token.
        let body = json!({ "name_zh": "测试角色", "name_en": "Test role", "permissions": ["case.review"] });
        t.send(Method::PUT, "/api/v1/roles/test_role", Auth::Bearer(&token), Some(&body))
            .await
            .expect(200);

        // Sign out: the token stops working at once.
        t.send(Method::DELETE, "/api/v1/sessions/current", Auth::Bearer(&token), None)
            .await
            .expect(204);
        t.get_as("/api/v1/me", Auth::Bearer(&token))
            .await
            .problem(401, "unauthenticated");
        t.send(Method::DELETE, "/api/v1/sessions/current", Auth::Bearer(&token), None)
            .await
            .problem(401, "unauthenticated");

        // The contractor helper holds no core permission, whatever is stored.
        let helper = t.login(HELPER).await;
        let me = t
            .get_as("/api/v1/me", helper.bearer())
            .await
            .expect(200)
            .json();
        assert_eq!(me["principal"]["staff"]["employment_type"], "contractor");
        let perms = me["principal"]["staff"]["permissions"]
            .as_array()
            .expect("permissions");
        assert!(perms.contains(&json!("case.receive")));
        assert!(!perms.contains(&json!("case.accept")));
    })
    .await;
}

#[tokio::test]
async fn failed_sign_ins_look_the_same_and_are_throttled() {
    on_sqlite(|t: TestApp| async move {
        let wrong = t
            .send(
                Method::POST,
                "/api/v1/sessions",
                Auth::None,
                Some(&sign_in("staff", "admin", "wrong-password-1")),
            )
            .await
            .problem(401, "bad_credentials");
        let unknown = t
            .send(
                Method::POST,
                "/api/v1/sessions",
                Auth::None,
                Some(&sign_in("staff", "nobody", "wrong-password-1")),
            )
            .await
            .problem(401, "bad_credentials");
        assert_eq!(wrong["message"], unknown["message"]);
        let p = t
            .send(
                Method::POST,
                "/api/v1/sessions",
                Auth::None,
                Some(&sign_in("robot", "admin", ADMIN.1)),
            )
            .await
            .problem(422, "invalid_input");
        assert_eq!(fields(&p), vec!["kind".to_owned()]);
        t.send(
            Method::POST,
            "/api/v1/sessions",
            Auth::None,
            Some(&json!({ "kind": "staff" })),
        )
        .await
        .problem(422, "invalid_body");

        let limit = t.app.config.security.login_max_failures;
        for _ in 1..limit {
            t.send(
                Method::POST,
                "/api/v1/sessions",
                Auth::None,
                Some(&sign_in("staff", "admin", "wrong-password-1")),
            )
            .await
            .problem(401, "bad_credentials");
        }
        // Locked now, even with the right password.
        t.send(
            Method::POST,
            "/api/v1/sessions",
            Auth::None,
            Some(&sign_in("staff", "admin", ADMIN.1)),
        )
        .await
        .problem(429, "too_many_attempts");
    })
    .await;
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token() {
    on_each_engine(|t: TestApp| async move {
        let admin = t.login(ADMIN).await;
        let me = t
            .get_as("/api/v1/me", Auth::Cookie(&admin.token, None))
            .await
            .expect(200)
            .json();
        assert_eq!(me["session"]["via"], "cookie");

        let role = json!({ "name_zh": "测试角色", "name_en": "Test role", "permissions": ["case.review"] });
        let uri = "/api/v1/roles/test_role";
        t.send(Method::PUT, uri, Auth::Cookie(&admin.token, None), Some(&role))
            .await
            .problem(403, "csrf_failed");
        t.send(
            Method::PUT,
            uri,
            Auth::Cookie(&admin.token, Some("forged-token-forged-token-forged-token-00")),
            Some(&role),
        )
        .await
        .problem(403, "csrf_failed");
        let roles = t.app.store.list_roles().await.expect("roles");
        assert!(!roles.iter().any(|r| r.code == "test_role"));
        t.send(
            Method::PUT,
            uri,
            Auth::Cookie(&admin.token, Some(&admin.csrf)),
            Some(&role),
        )
        .await
        .expect(200);

        // The same applies to every write, signing out included.
        let wangfang = t.staff_id("wangfang").await;
        t.send(
            Method::POST,
            &format!("/api/v1/staff/{wangfang}/disable"),
            Auth::Cookie(&admin.token, None),
            None,
        )
        .await
        .problem(403, "csrf_failed");
        t.send(
            Method::POST,
            "/api/v1/items/420100-SCJGJ-XK-001/retire",
            Auth::Cookie(&admin.token, None),
            None,
        )
        .await
        .problem(403, "csrf_failed");
        t.send(
            Method::DELETE,
            "/api/v1/sessions/current",
            Auth::Cookie(&admin.token, None),
            None,
        )
        .await
        .problem(403, "csrf_failed");
        t.get_as("/api/v1/me", admin.bearer()).await.expect(200);
        let resp = t
            .send(
                Method::DELETE,
                "/api/v1/sessions/current",
                Auth::Cookie(&admin.token, Some(&admin.csrf)),
                None,
            )
            .await
            .expect(204);
        let cleared = resp
            .headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.starts_with("onetrip_session=;") && c.contains("Max-Age=0"));
        assert!(cleared, "the session cookie should be cleared");
        t.get_as("/api/v1/me", admin.bearer())
            .await
            .problem(401, "unauthenticated");
    })
    .await;
}

fn registration(kind: &str, identifier: &str, mobile: &str) -> Value {
    json!({
        "kind": kind,
        "identifier": identifier,
        "name": "张三",
        "mobile": mobile,
        "email": "zhangsan@example.cn",
        "password": "Applicant-2026",
    })
}

#[tokio::test]
async fn applicant_registration() {
    on_each_engine(|t: TestApp| async move {
        let count = || async { t.app.store.list_applicants(1000).await.expect("applicants").len() };
        let before = count().await;

        // A wrong check digit.
        let p = t
            .send(
                Method::POST,
                "/api/v1/applicants",
                Auth::None,
                Some(&registration("natural_person", "110105194912310021", "13812345678")),
            )
            .await
            .problem(422, "invalid_input");
        let errors = p["errors"].as_array().expect("errors");
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == "identifier" && e["code"] == "invalid_check_digit"),
            "{p}"
        );
        assert_eq!(count().await, before);
        // A wrong credit code check character.
        let p = t
            .send(
                Method::POST,
                "/api/v1/applicants",
                Auth::None,
                Some(&registration("legal_entity", "91350100M000100Y44", "13812345678")),
            )
            .await
            .problem(422, "invalid_input");
        assert_eq!(p["errors"][0]["field"], "identifier");
        assert_eq!(p["errors"][0]["code"], "invalid_check_digit");
        // Every bad field at once.
        let p = t
            .send(
                Method::POST,
                "/api/v1/applicants",
                Auth::None,
                Some(&json!({ "kind": "natural_person", "identifier": "123", "mobile": "12", "password": "short" })),
            )
            .await
            .problem(422, "invalid_input");
        let f = fields(&p);
        for field in ["identifier", "name", "mobile", "password"] {
            assert!(f.contains(&field.to_owned()), "{field} missing in {f:?}");
        }
        assert_eq!(count().await, before);

        // A valid registration; the answer is masked.
        let resp = t
            .send(
                Method::POST,
                "/api/v1/applicants",
                Auth::None,
                Some(&registration("natural_person", "11010519491231002x", "13812345678")),
            )
            .await
            .expect(201);
        let text = resp.text();
        assert!(!text.contains("11010519491231002"), "unmasked identifier: {text}");
        assert!(!text.contains("13812345678"), "unmasked mobile: {text}");
        let a = resp.json();
        assert_eq!(a["identifier"], "110***********002X");
        assert_eq!(a["mobile"], "138****5678");
        assert_eq!(a["kind"], "natural_person");
        assert!(a.get("password").is_none() && a.get("password_hash").is_none());
        assert_eq!(count().await, before + 1);

        // The same identifier again.
        t.send(
            Method::POST,
            "/api/v1/applicants",
            Auth::None,
            Some(&registration("natural_person", "11010519491231002X", "13912345678")),
        )
        .await
        .problem(409, "conflict");

        // The applicant signs in; /me is masked too.
        let applicant = t
            .login_as("applicant", "11010519491231002X", "Applicant-2026")
            .await;
        let me = t
            .get_as("/api/v1/me", applicant.bearer())
            .await
            .expect(200);
        assert!(!me.text().contains("11010519491231002"));
        let me = me.json();
        assert_eq!(me["principal"]["kind"], "applicant");
        assert_eq!(me["principal"]["applicant"]["identifier"], "110***********002X");
        assert_eq!(me["principal"]["applicant"]["mobile"], "138****5678");
        // Applicants are not staff.
        t.get_as("/api/v1/roles", applicant.bearer())
            .await
            .problem(403, "forbidden");

        // Registration with a staff cookie session only registers: it acts
        // as nobody, changes no session and signs nobody in.
        let admin = t.login(ADMIN).await;
        let c = ResidentIdNumber::check_character("42011119850101123").expect("check");
        let id = format!("42011119850101123{c}");
        let resp = t
            .send(
                Method::POST,
                "/api/v1/applicants",
                Auth::Cookie(&admin.token, None),
                Some(&registration("natural_person", &id, "13812345679")),
            )
            .await
            .expect(201);
        assert!(
            resp.headers
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .all(|c| !c.starts_with("onetrip_session="))
        );
        let me = t.get_as("/api/v1/me", admin.bearer()).await.expect(200).json();
        assert_eq!(me["principal"]["staff"]["username"], "admin");

        // A legal entity with a valid credit code.
        let c = CreditCode::check_character("91420100MA4KX9B7A").expect("check");
        let code = format!("91420100MA4KX9B7A{c}");
        let a = t
            .send(
                Method::POST,
                "/api/v1/applicants",
                Auth::None,
                Some(&registration("legal_entity", &code, "13812345670")),
            )
            .await
            .expect(201)
            .json();
        assert_eq!(a["identifier"], format!("914***********{}", &code[14..]));
    })
    .await;
}
