//! Registration, sign-in, sessions and CSRF through the real router.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pages_common;

use axum::http::{StatusCode, header};
use pages_common::demo_client;

#[tokio::test]
async fn a_bad_id_number_is_named_and_nothing_is_stored() {
    let mut c = demo_client().await;
    let form = c.get("/register").await;
    let csrf = form.csrf();
    let before = c.app.store.list_applicants(1000).await.unwrap().len();
    let page = c
        .post_form(
            "/register",
            &[
                ("kind", "natural_person"),
                ("identifier", "110105194912310021"),
                ("name", "测试"),
                ("mobile", "1381234"),
                ("password", "short"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = page.texts(".error-summary li a");
    for field in ["identifier", "mobile", "password"] {
        assert!(
            summary.iter().any(|s| s == field),
            "{field} not in {summary:?}"
        );
    }
    assert!(page.body.contains("校验位错误"));
    assert!(
        page.html()
            .select(&scraper::Selector::parse("#field-identifier").unwrap())
            .next()
            .is_some()
    );
    assert_eq!(
        c.app.store.list_applicants(1000).await.unwrap().len(),
        before
    );
    // A bad credit code for an entity likewise.
    let page = c
        .post_form(
            "/register",
            &[
                ("kind", "legal_entity"),
                ("identifier", "91350100M000100Y44"),
                ("name", "某公司"),
                ("mobile", "13812345678"),
                ("password", "Good-pass-2026"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.texts(".error-summary li a"),
        vec!["identifier".to_owned()]
    );
}

#[tokio::test]
async fn register_sign_in_and_see_masked_identity() {
    let mut c = demo_client().await;
    let csrf = c.get("/register").await.csrf();
    let done = c
        .post_form(
            "/register",
            &[
                ("kind", "natural_person"),
                ("identifier", "11010519491231002x"),
                ("name", "测试用户"),
                ("mobile", "13812345678"),
                ("email", ""),
                ("password", "Good-pass-2026"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let signed_in = c
        .sign_in("applicant", "11010519491231002X", "Good-pass-2026")
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    let account = c.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("110***********002X"));
    assert!(account.body.contains("138****5678"));
    assert!(!account.body.contains("11010519491231002X"));
    // Registering the same number again is a conflict, shown on the field.
    let csrf = c.get("/register").await.csrf();
    let again = c
        .post_form(
            "/register",
            &[
                ("kind", "natural_person"),
                ("identifier", "11010519491231002X"),
                ("name", "重复"),
                ("mobile", "13812345678"),
                ("password", "Good-pass-2026"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn sign_in_failures_do_not_reveal_accounts_and_csrf_is_required() {
    let mut c = demo_client().await;
    let csrf = c.get("/login").await.csrf();
    let no_csrf = c
        .post_form(
            "/login",
            &[
                ("kind", "staff"),
                ("username", "admin"),
                ("password", "Demo-admin-2026"),
            ],
        )
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let wrong = c
        .post_form(
            "/login",
            &[
                ("kind", "staff"),
                ("username", "admin"),
                ("password", "nope-nope-1"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    let unknown = c
        .post_form(
            "/login",
            &[
                ("kind", "staff"),
                ("username", "ghost"),
                ("password", "nope-nope-1"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.texts(".error-summary li"),
        unknown.texts(".error-summary li")
    );
    let ok = c.sign_in("staff", "admin", "Demo-admin-2026").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.headers.get(header::LOCATION).unwrap(), "/account");
    let cookie = ok
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // Once signed in, the pre-session token no longer works for forms.
    let stale = c.post_form("/logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    let account = c.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    let token = account.csrf();
    let out = c.post_form("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = c.get("/account").await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "signed out: redirected to sign in"
    );
}

#[tokio::test]
async fn signing_out_everywhere_ends_other_sessions() {
    let mut first = demo_client().await;
    first.sign_in("staff", "liqiang", "Demo-officer-2026").await;
    let mut second = first.another();
    second
        .sign_in("staff", "liqiang", "Demo-officer-2026")
        .await;
    let account = second.get("/account").await;
    assert_eq!(account.texts("table tbody tr").len(), 2);
    let csrf = account.csrf();
    let out = second
        .post_form("/account/sessions/revoke-all", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(first.get("/account").await.status, StatusCode::SEE_OTHER);
    assert_eq!(second.get("/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn one_session_can_be_ended_from_another() {
    let mut first = demo_client().await;
    first.sign_in("staff", "chenjing", "Demo-editor-2026").await;
    let mut second = first.another();
    second
        .sign_in("staff", "chenjing", "Demo-editor-2026")
        .await;
    let account = second.get("/account").await;
    let sel = scraper::Selector::parse("table tbody tr").unwrap();
    let form_sel = scraper::Selector::parse("form").unwrap();
    let tag_sel = scraper::Selector::parse(".tag.ok").unwrap();
    let html = account.html();
    let other = html
        .select(&sel)
        .find(|row| row.select(&tag_sel).next().is_none())
        .and_then(|row| row.select(&form_sel).next())
        .and_then(|f| f.value().attr("action"))
        .unwrap()
        .to_owned();
    let csrf = account.csrf();
    let done = second.post_form(&other, &[("csrf_token", &csrf)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        first.get("/account").await.status,
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    assert_eq!(
        second.get("/account").await.status,
        StatusCode::OK,
        "this one lives on"
    );
}

#[tokio::test]
async fn an_id_number_born_in_the_future_is_refused() {
    let mut c = demo_client().await;
    let csrf = c.get("/register").await.csrf();
    // 2099-01-01 with a correct check character.
    let first17 = "11010520990101001";
    let id = format!(
        "{first17}{}",
        onetrip_domain::identity::ResidentIdNumber::check_character(first17).unwrap()
    );
    let page = c
        .post_form(
            "/register",
            &[
                ("kind", "natural_person"),
                ("identifier", &id),
                ("name", "未来人"),
                ("mobile", "13812345678"),
                ("password", "Good-pass-2026"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("晚于今天"));
}
