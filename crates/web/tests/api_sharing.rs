//! Once-only data sharing end to end, through the real router, on every
//! engine: a repeat applicant whose materials are all shared uploads nothing
//! and makes no trip; refusing consent falls back to upload; expired and
//! revoked certificates are never used; signed providers run for real on
//! loopback (a hanging one does not hang the application, a tampered
//! response is rejected); tampered message-log and access-log entries are
//! detected; the data tracker lists each access; unmasking needs
//! `data.unmask` and is logged; certificates verify publicly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use api_common::{ADMIN, Auth, HELPER, Login, TestApp, fields, on_each_engine};
use axum::http::Method;
use ed25519_dalek::SigningKey;
use onetrip_app::admin::StaffForm;
use onetrip_app::sharing::provider::{SIGNATURE_HEADER, sign};
use onetrip_domain::access::Scope;
use onetrip_domain::evidence::{
    EvidenceType, PopulationRecord, ProviderRequest, ProviderResponse, SHARING_FORMAT,
    SharingDocument, person_evidence,
};
use onetrip_domain::region::RegionCode;
use onetrip_web::provider_server::{ProviderState, provider_router};
use serde_json::{Value, json};
use sqlx::Connection;

const ZHANG: (&str, &str) = ("420111199003151239", "Demo-applicant-2026");
const YANG: &str = "420103197509230314";
const LI: &str = "420106198511082641";
const FLEX: &str = "420100-RSJ-GG-003";
const LICENCE: &str = "420100-GAJ-XK-003";

async fn applicant(app: &TestApp, id: &str) -> Login {
    app.login_as("applicant", id, ZHANG.1).await
}

async fn post(app: &TestApp, who: &Login, uri: &str, body: &Value) -> api_common::Resp {
    app.send(Method::POST, uri, who.bearer(), Some(body)).await
}

async fn staff(
    app: &TestApp,
    username: &str,
    role: &str,
    region: &str,
    department: &str,
    centre: &str,
) -> Login {
    let form = StaffForm {
        username: username.into(),
        display_name: username.into(),
        employment_type: "civil_servant".into(),
        password: "Test-officer-2026".into(),
    };
    let s = app.app.create_staff_as("test", &form).await.unwrap();
    let scope = Scope {
        region: RegionCode::parse(region).unwrap(),
        department: (!department.is_empty()).then(|| department.to_owned()),
        centre: (!centre.is_empty()).then(|| centre.to_owned()),
    };
    app.app
        .grant_role_as("test", s.id, role, &scope)
        .await
        .unwrap();
    app.login((username, "Test-officer-2026")).await
}

async fn draft(app: &TestApp, who: &Login, item: &str, delivery: &str) -> Value {
    let body = json!({
        "item_code": item, "situation": "S01", "delivery_method": delivery,
        "form": { "contact_name": "张伟", "contact_phone": "13871234567", "contact_address": "湖北省武汉市洪山区珞喻路1037号", "description": "申请办理" },
        "courier": { "recipient": "张伟", "phone": "13871234567", "address": "湖北省武汉市洪山区珞喻路1037号" },
    });
    post(app, who, "/api/v1/cases", &body)
        .await
        .expect(201)
        .json()
}

fn key_of(case: &Value, name: &str) -> String {
    case["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"]["zh"] == name)
        .unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn outcome<'a>(outcomes: &'a Value, key: &str) -> &'a Value {
    outcomes
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == key)
        .unwrap_or_else(|| panic!("no outcome for {key}: {outcomes}"))
}

async fn share(app: &TestApp, who: &Login, id: i64, consents: Value) -> Value {
    post(
        app,
        who,
        &format!("/api/v1/cases/{id}/evidence"),
        &json!({ "consents": consents }),
    )
    .await
    .expect(200)
    .json()
}

async fn act(app: &TestApp, who: &Login, id: i64, body: Value) -> api_common::Resp {
    post(app, who, &format!("/api/v1/cases/{id}/actions"), &body).await
}

#[tokio::test]
async fn a_repeat_applicant_with_every_material_shared_uploads_nothing_and_makes_no_trip() {
    on_each_engine(|app| async move {
        let me = applicant(&app, ZHANG.0).await;
        let case = draft(&app, &me, FLEX, "electronic").await;
        let id = case["id"].as_i64().unwrap();
        let (identity, household) = (
            key_of(&case, "申请人居民身份证"),
            key_of(&case, "申请人居民户口簿"),
        );
        // The preview shows the applicant's own registry data, masked.
        let offers = app
            .get_as(&format!("/api/v1/cases/{id}/evidence"), me.bearer())
            .await
            .expect(200)
            .json();
        assert_eq!(offers.as_array().unwrap().len(), 2);
        let id_offer = offers
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["key"] == identity)
            .unwrap();
        assert_eq!(id_offer["consent_required"], false);
        assert!(
            id_offer["preview"]["fields"]
                .to_string()
                .contains("420***********1239")
        );
        // Without a consent decision only the entry that needs none is fulfilled.
        let first = share(&app, &me, id, json!({})).await;
        assert_eq!(outcome(&first, &identity)["outcome"], "fulfilled");
        assert_eq!(outcome(&first, &household)["outcome"], "needs_consent");
        // A key naming no shared material is refused with the field named, changing nothing.
        let p = post(
            &app,
            &me,
            &format!("/api/v1/cases/{id}/evidence"),
            &json!({ "consents": { "m99": true } }),
        )
        .await
        .problem(422, "invalid_input");
        assert_eq!(fields(&p), ["consents.m99"]);
        let second = share(&app, &me, id, json!({ household.clone(): true })).await;
        assert_eq!(outcome(&second, &household)["outcome"], "fulfilled");
        assert_eq!(outcome(&second, &identity)["outcome"], "already_fulfilled");

        // Nothing was uploaded: submit, and pre-review passes on shared materials alone.
        act(&app, &me, id, json!({ "action": "submit" }))
            .await
            .expect(200);
        let helper = app.login(HELPER).await;
        act(&app, &helper, id, json!({ "action": "pass_pre_review" }))
            .await
            .expect(200);
        let window = staff(&app, "zhouli", "approval_officer", "420100", "", "").await;
        act(&app, &window, id, json!({ "action": "accept" }))
            .await
            .expect(200);
        let c = act(
            &app,
            &window,
            id,
            json!({ "action": "approve", "part": 1, "opinion": "符合条件" }),
        )
        .await
        .expect(200)
        .json();
        assert_eq!(c["status"], "decided");
        act(&app, &window, id, json!({ "action": "issue_result" }))
            .await
            .expect(200);
        let c = act(
            &app,
            &helper,
            id,
            json!({ "action": "dispatch", "carrier": "", "tracking_no": "" }),
        )
        .await
        .expect(200)
        .json();
        assert_eq!(c["status"], "completed");
        assert_eq!(c["trips"], 0, "no trip at all");
        let detail = app.app.store.case_detail(id).await.unwrap().unwrap();
        assert!(
            detail
                .materials
                .iter()
                .all(|m| m.kind == onetrip_domain::case::MaterialKind::Shared),
            "nothing uploaded: {:?}",
            detail.materials
        );
        assert!(detail.materials.iter().all(|m| m.file_sha256.is_none()));

        // Measures: every required material shared, none uploaded, no trip, trips avoided.
        let supervisor = staff(&app, "jiandu", "supervisor", "420100", "", "").await;
        let m = app
            .get_as("/api/v1/sharing/measures", supervisor.bearer())
            .await
            .expect(200)
            .json();
        let row = m["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["case_id"] == id)
            .unwrap();
        assert_eq!(
            (
                row["required"].as_i64(),
                row["shared"].as_i64(),
                row["uploaded"].as_i64(),
                row["trips"].as_i64(),
                row["trips_avoided"].as_i64()
            ),
            (Some(2), Some(2), Some(0), Some(0), Some(2))
        );
        let item = m["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_code"] == FLEX)
            .unwrap();
        assert_eq!(item["shared"], 2);
        app.get_as("/api/v1/sharing/measures", me.bearer())
            .await
            .problem(403, "forbidden");

        // Staff see provenance masked; unmasking needs data.unmask, is refused (audited) without it.
        let prov = app
            .get_as(
                &format!("/api/v1/cases/{id}/evidence/provenance"),
                helper.bearer(),
            )
            .await
            .expect(200)
            .json();
        let text = prov.to_string();
        assert!(
            text.contains("population")
                && !text.contains("420111199003151239")
                && !text.contains("珞喻路1037号华中"),
            "{text}"
        );
        post(
            &app,
            &helper,
            &format!("/api/v1/cases/{id}/evidence/{identity}/unmask"),
            &json!({ "reason": "核对身份" }),
        )
        .await
        .problem(403, "forbidden");
        let p = post(
            &app,
            &supervisor,
            &format!("/api/v1/cases/{id}/evidence/{identity}/unmask"),
            &json!({ "reason": "" }),
        )
        .await
        .problem(422, "invalid_input");
        assert_eq!(fields(&p), ["reason"]);
        let full = post(
            &app,
            &supervisor,
            &format!("/api/v1/cases/{id}/evidence/{identity}/unmask"),
            &json!({ "reason": "效能监察抽查" }),
        )
        .await
        .expect(200)
        .json();
        assert!(full.to_string().contains("420111199003151239"));
        let audit = app.app.store.recent_audit(200).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "data.unmask_forbidden"));
        assert!(audit.iter().any(|e| e.action == "data.unmasked"));

        // The data tracker lists each access: two uses, the helper's view, the unmasked view.
        let tracker = app
            .get_as("/api/v1/me/data-access", me.bearer())
            .await
            .expect(200)
            .json();
        let rows = tracker.as_array().unwrap();
        assert_eq!(rows.len(), 4, "{tracker}");
        assert!(
            rows.iter()
                .all(|r| r["record"]["case_no"] == case["case_no"])
        );
        assert_eq!(
            rows.iter()
                .filter(|r| r["record"]["unmasked"] == true)
                .count(),
            1
        );
        assert!(
            rows.iter()
                .any(|r| r["who"].as_str().unwrap().contains("wangfang")
                    || r["who"].as_str().unwrap().contains("王")),
            "{tracker}"
        );
        let cookie = app.login_as("applicant", ZHANG.0, ZHANG.1).await;
        let page = app
            .get_as("/me/data-tracker", Auth::Bearer(&cookie.token))
            .await
            .expect(200)
            .text();
        assert_eq!(page.matches("class=\"access-row\"").count(), 4);
        assert!(page.contains("jiandu"));
        let staff_page = app
            .get_as(&format!("/workbench/cases/{id}/evidence"), helper.bearer())
            .await
            .expect(200)
            .text();
        assert!(
            staff_page.contains("population.identity")
                && !staff_page.contains("420111199003151239")
        );
        let logs = app
            .get_as("/api/v1/sharing/verify", app.login(ADMIN).await.bearer())
            .await
            .expect(200)
            .json();
        assert_eq!(logs["access_log"]["problems"], json!([]), "{logs}");
        assert_eq!(logs["access_log"]["entries"], 5, "{logs}");
    })
    .await;
}

#[tokio::test]
async fn consent_refusal_falls_back_to_upload_and_consent_can_be_revoked() {
    on_each_engine(|app| async move {
        let me = applicant(&app, ZHANG.0).await;
        // The application form is prefilled from the population registry.
        let form = app
            .get_as(&format!("/apply/{FLEX}?situation=S01"), me.bearer())
            .await
            .expect(200)
            .text();
        assert!(
            form.contains("珞喻路1037号华中科技大学西区12栋302室"),
            "the address comes from the registry"
        );
        let case = draft(&app, &me, FLEX, "electronic").await;
        let id = case["id"].as_i64().unwrap();
        let household = key_of(&case, "申请人居民户口簿");
        let out = share(&app, &me, id, json!({ household.clone(): false })).await;
        let o = outcome(&out, &household);
        assert_eq!(
            (o["outcome"].as_str(), o["unavailable"]["reason"].as_str()),
            (Some("upload"), Some("consent_refused"))
        );
        // The refusal is shown with the reason, and the material still needs an upload.
        let html = app
            .get_as(&format!("/cases/{id}/evidence"), me.bearer())
            .await
            .expect(200)
            .text();
        assert!(html.contains("您未同意数据共享，请上传。"), "{html}");
        act(&app, &me, id, json!({ "action": "submit" }))
            .await
            .expect(200);
        let helper = app.login(HELPER).await;
        let p = act(&app, &helper, id, json!({ "action": "pass_pre_review" }))
            .await
            .problem(422, "invalid_input");
        assert!(
            fields(&p).contains(&format!("materials.{household}")),
            "{p}"
        );
        assert!(
            app.app
                .store
                .recent_audit(50)
                .await
                .unwrap()
                .iter()
                .any(|e| e.action == "sharing.consent_refused")
        );

        // Consent given on another draft and then revoked: the material must be uploaded again.
        let case = draft(&app, &me, FLEX, "electronic").await;
        let id = case["id"].as_i64().unwrap();
        let out = share(&app, &me, id, json!({ household.clone(): true })).await;
        assert_eq!(outcome(&out, &household)["outcome"], "fulfilled");
        let consents = app
            .get_as("/api/v1/me/consents", me.bearer())
            .await
            .expect(200)
            .json();
        let consent = consents
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["case_id"] == id && c["decision"] == "granted")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        app.send(
            Method::DELETE,
            &format!("/api/v1/me/consents/{consent}"),
            me.bearer(),
            None,
        )
        .await
        .expect(200);
        app.send(
            Method::DELETE,
            &format!("/api/v1/me/consents/{consent}"),
            me.bearer(),
            None,
        )
        .await
        .problem(409, "conflict");
        let offers = app
            .get_as(&format!("/api/v1/cases/{id}/evidence"), me.bearer())
            .await
            .expect(200)
            .json();
        let o = offers
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["key"] == household)
            .unwrap();
        assert!(
            o["fulfilled"].is_null(),
            "revoked consent unfulfils the draft: {o}"
        );
        let detail = app.app.store.case_detail(id).await.unwrap().unwrap();
        assert!(!detail.materials.iter().any(|m| m.material_key == household));
    })
    .await;
}

#[tokio::test]
async fn expired_and_revoked_certificates_are_never_used_and_verification_says_so() {
    on_each_engine(|app| async move {
        for (who, reason, cert) in [
            (YANG, "revoked", "420103197509230314-JSZ"),
            (LI, "expired", "420106198511082641-JSZ"),
        ] {
            let me = applicant(&app, who).await;
            let case = draft(&app, &me, LICENCE, "courier").await;
            let id = case["id"].as_i64().unwrap();
            let licence = key_of(&case, "机动车驾驶证");
            let out = share(&app, &me, id, json!({ licence.clone(): true })).await;
            let o = outcome(&out, &licence);
            assert_eq!(
                (
                    o["outcome"].as_str(),
                    o["unavailable"]["reason"].as_str(),
                    o["unavailable"]["cert_no"].as_str()
                ),
                (Some("upload"), Some(reason), Some(cert)),
                "{out}"
            );
            assert!(
                app.app
                    .store
                    .case_evidence(id)
                    .await
                    .unwrap()
                    .iter()
                    .all(|e| e.material_key != licence)
            );
        }
        // A valid licence (张伟's) is used — until it is revoked.
        let me = applicant(&app, ZHANG.0).await;
        let case = draft(&app, &me, LICENCE, "courier").await;
        let licence = key_of(&case, "机动车驾驶证");
        let cert = app
            .app
            .store
            .library_certificate("420111199003151239-JSZ")
            .await
            .unwrap()
            .unwrap();
        let sig = app.app.certificate_signature(&cert);
        let v = app
            .get(&format!(
                "/api/v1/certificates/420111199003151239-JSZ/verify?sig={sig}"
            ))
            .await
            .expect(200)
            .json();
        assert_eq!(
            (v["verdict"].as_str(), v["signature_valid"].as_bool()),
            (Some("valid"), Some(true))
        );
        assert_eq!(v["holder"], "张*");
        assert!(
            !v.to_string().contains("420111199003151239\""),
            "no identifier in the verdict beyond the number"
        );
        let mut forged = sig.clone();
        forged.replace_range(0..1, if forged.starts_with('A') { "B" } else { "A" });
        let v = app
            .get(&format!(
                "/api/v1/certificates/420111199003151239-JSZ/verify?sig={forged}"
            ))
            .await
            .expect(200)
            .json();
        assert_eq!(v["verdict"], "forged");
        assert_eq!(
            app.get("/api/v1/certificates/NO-SUCH/verify")
                .await
                .expect(200)
                .json()["verdict"],
            "unknown"
        );
        let officer = staff(&app, "gaj", "approval_officer", "420100", "420100-GAJ", "").await;
        let p = post(
            &app,
            &officer,
            "/api/v1/certificates/420111199003151239-JSZ/revoke",
            &json!({ "reason": "" }),
        )
        .await
        .problem(422, "invalid_input");
        assert_eq!(fields(&p), ["reason"]);
        post(
            &app,
            &officer,
            "/api/v1/certificates/420111199003151239-JSZ/revoke",
            &json!({ "reason": "换领新证，旧证作废" }),
        )
        .await
        .expect(204);
        let helper = app.login(HELPER).await;
        post(
            &app,
            &helper,
            "/api/v1/certificates/420111199003151239-JSZ/revoke",
            &json!({ "reason": "x" }),
        )
        .await
        .problem(403, "forbidden");
        let v = app
            .get(&format!(
                "/api/v1/certificates/420111199003151239-JSZ/verify?sig={sig}"
            ))
            .await
            .expect(200)
            .json();
        assert_eq!(v["verdict"], "revoked");
        let html = app
            .get(&format!(
                "/verify/certificates/420111199003151239-JSZ?sig={sig}"
            ))
            .await
            .expect(200)
            .text();
        assert!(
            html.contains("证照已注销，不再有效") && html.contains("换领新证"),
            "{html}"
        );
        let id = case["id"].as_i64().unwrap();
        let out = share(&app, &me, id, json!({ licence.clone(): true })).await;
        assert_eq!(outcome(&out, &licence)["unavailable"]["reason"], "revoked");
    })
    .await;
}

/// The provider's records: 张伟's household entry, as the Hubei public security registry holds it.
fn provider_data() -> SharingDocument {
    SharingDocument {
        format: SHARING_FORMAT.into(),
        source: "湖北省公安厅人口库".into(),
        population: vec![PopulationRecord {
            id_number: ZHANG.0.into(),
            name: "张伟".into(),
            name_en: "Zhang Wei".into(),
            gender: "male".into(),
            ethnicity: "汉族".into(),
            address: "湖北省武汉市洪山区珞喻路1037号".into(),
            household_address: "湖北省武汉市洪山区关山街道珞喻路1037号（公安户籍）".into(),
            household_head: "张伟".into(),
        }],
        legal_entities: vec![],
        certificates: vec![],
    }
}

async fn spawn(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

async fn register(app: &TestApp, admin: &Login, name: &str, url: &str, key: &SigningKey) {
    let body = json!({ "name": name, "base_url": url, "public_key": hex::encode(key.verifying_key().as_bytes()), "evidence_types": ["population.household"], "timeout_ms": 300 });
    post(app, admin, "/api/v1/sharing/providers", &body)
        .await
        .expect(201);
}

async fn raw_sql(app: &TestApp, sql: &str) {
    let url = app.app.config.database.url.clone();
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut c)
            .await
            .unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut c)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn signed_providers_answer_on_loopback_and_hanging_or_tampering_is_caught() {
    on_each_engine(|app| async move {
        let admin = app.login(ADMIN).await;
        let me = applicant(&app, ZHANG.0).await;
        let consumer = ed25519_dalek::VerifyingKey::from_bytes(&hex::decode(app.app.sharing_public_key_hex()).unwrap().try_into().unwrap()).unwrap();
        assert_eq!(app.get("/api/v1/sharing/public-key").await.expect(200).json()["public_key"], app.app.sharing_public_key_hex());
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let state = Arc::new(ProviderState { name: "hubei-gat".into(), key: key.clone(), consumers: vec![("onetrip".into(), consumer)], data: provider_data() });
        let url = spawn(provider_router(state)).await;
        // Bad registrations name every field.
        let p = post(&app, &admin, "/api/v1/sharing/providers", &json!({ "name": "Bad Name", "base_url": "ftp://x", "public_key": "00", "evidence_types": ["tax.record"] })).await.problem(422, "invalid_input");
        assert_eq!(fields(&p), ["name", "base_url", "public_key", "evidence_types[0]"]);
        post(&app, &me, "/api/v1/sharing/providers", &json!({ "name": "x", "base_url": url, "public_key": "00", "evidence_types": [] })).await.problem(403, "forbidden");
        register(&app, &admin, "hubei-gat", &url, &key).await;

        // 1. A signed exchange: the household entry comes from the provider and is logged.
        let case = draft(&app, &me, FLEX, "electronic").await;
        let id = case["id"].as_i64().unwrap();
        let household = key_of(&case, "申请人居民户口簿");
        let out = share(&app, &me, id, json!({ household.clone(): true })).await;
        assert_eq!(outcome(&out, &household)["outcome"], "fulfilled", "{out}");
        let ev = app.app.store.case_evidence(id).await.unwrap();
        let used = ev.iter().find(|e| e.material_key == household).unwrap();
        assert_eq!(used.provider, "hubei-gat");
        assert!(used.fields.iter().any(|f| f.value.contains("公安户籍")));
        let log = app.app.store.provider_messages(0, 10).await.unwrap();
        assert_eq!(log.iter().map(|m| (m.direction.as_str(), m.outcome.as_str())).collect::<Vec<_>>(), [("request", "sent"), ("response", "verified")]);
        let request: ProviderRequest = serde_json::from_str(&log[0].body).unwrap();
        assert_eq!((request.case_ref.as_str(), request.holder.as_str(), request.consumer.as_str()), (case["case_no"].as_str().unwrap(), ZHANG.0, "onetrip"));
        assert!(!request.purpose.is_empty());

        // 2. A response altered in transit: the signature no longer matches, it is rejected.
        let tamper_key = key.clone();
        let tamper = axum::Router::new().route(
            "/v1/evidence",
            axum::routing::post(move |body: axum::body::Bytes| {
                let key = tamper_key.clone();
                async move {
                    let req: ProviderRequest = serde_json::from_slice(&body).unwrap();
                    let t = EvidenceType::parse(&req.evidence_type).unwrap();
                    let answer = ProviderResponse { request_id: req.request_id, provider: "hubei-gat".into(), holder: req.holder, evidence_type: req.evidence_type, evidence: person_evidence(&t, &provider_data().population[0], "hubei-gat"), unavailable: None, answered_at: 0 };
                    let text = serde_json::to_string(&answer).unwrap();
                    let sig = sign(&key, text.as_bytes());
                    let altered = text.replace("公安户籍", "伪造户籍");
                    ([(SIGNATURE_HEADER, sig)], altered)
                }
            }),
        );
        let tamper_url = spawn(tamper).await;
        register(&app, &admin, "hubei-gat", &tamper_url, &key).await;
        let case = draft(&app, &me, FLEX, "electronic").await;
        let id2 = case["id"].as_i64().unwrap();
        let out = share(&app, &me, id2, json!({ household.clone(): true })).await;
        let o = outcome(&out, &household);
        assert_eq!((o["outcome"].as_str(), o["unavailable"]["reason"].as_str()), (Some("upload"), Some("bad_signature")), "{out}");
        assert!(app.app.store.case_evidence(id2).await.unwrap().iter().all(|e| e.material_key != household));

        // 3. A provider that accepts the connection and never answers: given up on quickly.
        let hang = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hang_url = format!("http://{}", hang.local_addr().unwrap());
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = hang.accept().await {
                held.push(socket);
            }
        });
        register(&app, &admin, "hubei-gat", &hang_url, &key).await;
        let case = draft(&app, &me, FLEX, "electronic").await;
        let id3 = case["id"].as_i64().unwrap();
        let started = Instant::now();
        let out = tokio::time::timeout(Duration::from_secs(5), share(&app, &me, id3, json!({ household.clone(): true }))).await.expect("the application does not hang");
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
        let o = outcome(&out, &household);
        assert_eq!((o["outcome"].as_str(), o["unavailable"]["reason"].as_str()), (Some("upload"), Some("timeout")), "{out}");
        let html = app.get_as(&format!("/cases/{id3}/evidence"), me.bearer()).await.expect(200).text();
        assert!(html.contains("hubei-gat"), "the page names the provider");
        // The app still answers other requests meanwhile.
        app.get("/healthz").await.expect(200);

        // 4. Both logs verify; a tampered message-log entry and a tampered access row are detected.
        let logs = app.get_as("/api/v1/sharing/verify", admin.bearer()).await.expect(200).json();
        assert_eq!((logs["message_log"]["problems"].clone(), logs["message_log"]["entries"].as_i64()), (json!([]), Some(6)), "{logs}");
        app.get_as("/api/v1/sharing/verify", me.bearer()).await.problem(403, "forbidden");
        raw_sql(&app, "UPDATE provider_messages SET body = replace(body, '公安户籍', '伪造户籍') WHERE seq = 2").await;
        raw_sql(&app, "UPDATE data_access_log SET purpose = '无' WHERE id = (SELECT MIN(id) FROM data_access_log)").await;
        let logs = app.get_as("/api/v1/sharing/verify", admin.bearer()).await.expect(200).json();
        let problems = logs["message_log"]["problems"].as_array().unwrap();
        assert!(problems.iter().any(|p| p["at"] == 2), "{logs}");
        assert_eq!(logs["access_log"]["problems"].as_array().unwrap().len(), 1, "{logs}");
    })
    .await;
}

#[tokio::test]
async fn an_import_reports_every_bad_field_and_changes_nothing() {
    on_each_engine(|app| async move {
        let admin = app.login(ADMIN).await;
        let mut doc = serde_json::to_value(provider_data()).unwrap();
        doc["population"][0]["id_number"] = json!("420111199003151230");
        doc["legal_entities"] = json!([{ "credit_code": "91420100MA4KX1B2C0", "name": "", "entity_type": "有限责任公司", "legal_representative": "张伟", "address": "武汉", "registered_capital_yuan": -1, "established_on": "2020-01-01", "status": "active" }]);
        let p = post(&app, &admin, "/api/v1/sharing/import", &doc).await.problem(422, "invalid_input");
        assert_eq!(fields(&p), ["population[0].id_number", "legal_entities[0].credit_code", "legal_entities[0].name", "legal_entities[0].registered_capital_yuan"]);
        let me = applicant(&app, ZHANG.0).await;
        post(&app, &me, "/api/v1/sharing/import", &serde_json::to_value(provider_data()).unwrap()).await.problem(403, "forbidden");
        let s = post(&app, &admin, "/api/v1/sharing/import", &serde_json::to_value(provider_data()).unwrap()).await.expect(200).json();
        assert_eq!(s["population"], 1);
        let p = app.app.store.population_record(ZHANG.0).await.unwrap().unwrap();
        assert!(p.record.household_address.contains("公安户籍"));
    })
    .await;
}
