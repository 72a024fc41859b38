//! End-to-end case handling through the real router, on every engine: an
//! online bundle application and a window application each run through
//! correction, acceptance, review, decision, courier delivery and
//! completion; deadlines follow the calendar; deemed acceptance and
//! escalation happen; contractor staff cannot accept or approve; two
//! concurrent approvals give one transition and one 409; department
//! systems work with API tokens.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_common;

use api_common::{
    Auth, HELPER, Login, OFFICER, TestApp, fields, on_each_engine, on_each_engine_at,
};
use axum::body::Body;
use axum::http::{Method, Request};
use onetrip_app::admin::StaffForm;
use onetrip_domain::access::Scope;
use onetrip_domain::region::RegionCode;
use serde_json::{Value, json};
use time::macros::datetime;

const APPLICANT: (&str, &str) = ("420111199003151239", "Demo-applicant-2026");

/// A PNG by its signature and a few chunk bytes (uploads are typed by magic bytes).
fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(b"\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0");
    b
}

fn micros(t: time::OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap()
}

async fn applicant(app: &TestApp) -> Login {
    app.login_as("applicant", APPLICANT.0, APPLICANT.1).await
}

/// Creates a civil servant with `role` in `scope` and signs them in.
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

async fn post(app: &TestApp, who: &Login, uri: &str, body: &Value) -> api_common::Resp {
    app.send(Method::POST, uri, who.bearer(), Some(body)).await
}

async fn act(app: &TestApp, who: &Login, id: i64, body: Value) -> api_common::Resp {
    post(app, who, &format!("/api/v1/cases/{id}/actions"), &body).await
}

async fn upload(
    app: &TestApp,
    who: &Login,
    id: i64,
    key: &str,
    name: &str,
    bytes: Vec<u8>,
) -> api_common::Resp {
    let request = Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/v1/cases/{id}/materials/{key}"))
        .header("authorization", format!("Bearer {}", who.token))
        .header("x-file-name", name)
        .header("content-type", "application/octet-stream")
        .body(Body::from(bytes))
        .unwrap();
    app.call(request).await
}

/// Provides every material the applicant must provide.
async fn provide_all(app: &TestApp, who: &Login, case: &Value) {
    let id = case["id"].as_i64().unwrap();
    for e in case["checklist"].as_array().unwrap() {
        if !e["needed_from_applicant"].as_bool().unwrap() {
            continue;
        }
        let key = e["key"].as_str().unwrap();
        if e["fillable"].as_bool().unwrap() {
            post(
                app,
                who,
                &format!("/api/v1/cases/{id}/materials/{key}/text"),
                &json!({ "text": "已按表格要求逐项填写。" }),
            )
            .await
            .expect(201);
        } else {
            upload(app, who, id, key, "%E6%9D%90%E6%96%99.png", png())
                .await
                .expect(201);
        }
    }
}

fn form() -> Value {
    json!({
        "contact_name": "张伟",
        "contact_phone": "13871234567",
        "contact_address": "湖北省武汉市洪山区珞喻路1037号",
        "description": "新开办有限责任公司"
    })
}

fn courier() -> Value {
    json!({ "recipient": "张伟", "phone": "13871234567", "address": "湖北省武汉市洪山区珞喻路1037号" })
}

async fn show(app: &TestApp, who: &Login, id: i64) -> Value {
    app.get_as(&format!("/api/v1/cases/{id}"), who.bearer())
        .await
        .expect(200)
        .json()
}

#[tokio::test]
async fn an_online_bundle_runs_from_correction_to_courier_delivery() {
    on_each_engine(|app| async move {
        let me = applicant(&app).await;
        let body = json!({
            "bundle_code": "420100-YJS-KBQY",
            "form": form(),
            "delivery_method": "courier",
            "courier": courier(),
        });
        let case = post(&app, &me, "/api/v1/cases", &body).await.expect(201).json();
        let id = case["id"].as_i64().unwrap();
        assert_eq!(case["status"], "draft");
        assert_eq!(case["parts"].as_array().unwrap().len(), 5, "five departments");
        assert!(case["case_no"].as_str().unwrap().starts_with("420100"));
        // One de-duplicated checklist: 营业执照 is produced by the bundle itself.
        let names: Vec<&str> = case["checklist"].as_array().unwrap().iter().map(|e| e["name"]["zh"].as_str().unwrap()).collect();
        assert_eq!(names.iter().filter(|n| **n == "营业执照").count(), 1);
        let licence = case["checklist"].as_array().unwrap().iter().find(|e| e["name"]["zh"] == "营业执照").unwrap();
        assert_eq!(licence["produced_by"], "420100-SCJGJ-XK-001");
        // A text file pretending to be a PDF is refused by its content.
        let key = case["checklist"][0]["key"].as_str().unwrap().to_owned();
        let p = upload(&app, &me, id, &key, "fake.pdf", b"just some text".to_vec()).await.problem(422, "invalid_input");
        assert_eq!(fields(&p), ["file"]);
        provide_all(&app, &me, &case).await;
        act(&app, &me, id, json!({ "action": "submit" })).await.expect(200);

        // The contractor helper pre-reviews and issues one notice listing everything.
        let helper = app.login(HELPER).await;
        let queue = app.get_as("/api/v1/cases?status=submitted", helper.bearer()).await.expect(200).json();
        assert!(queue.as_array().unwrap().iter().any(|c| c["id"] == id));
        let forbidden = act(&app, &helper, id, json!({ "action": "accept" })).await.problem(403, "forbidden");
        assert!(forbidden["message"].as_str().unwrap().contains("case.accept"), "{forbidden}");
        let c = act(&app, &helper, id, json!({
            "action": "request_correction",
            "items": [
                { "target": key, "problem": "unclear", "note": "申请书签字页不清晰，请重新扫描上传" },
                { "target": "form.contact_address", "problem": "defective", "note": "请写明门牌号和房间号" }
            ]
        })).await.expect(200).json();
        assert_eq!(c["status"], "correction_requested");
        assert_eq!(c["open_correction"], json!([key, "form.contact_address"]));
        let notice = c["notices"].as_array().unwrap().iter().find(|n| n["kind"] == "correction").unwrap();
        assert!(notice["notice_no"].as_str().unwrap().ends_with("-BZ01"));

        // The applicant changes only what was flagged.
        let other = c["checklist"][1]["key"].as_str().unwrap().to_owned();
        upload(&app, &me, id, &other, "x.png", png()).await.problem(409, "conflict");
        let mut wrong = form();
        wrong["contact_name"] = json!("李娜");
        let p = act(&app, &me, id, json!({ "action": "resubmit", "form": wrong })).await.problem(422, "invalid_input");
        let f = fields(&p);
        assert!(f.contains(&"form.contact_name".to_owned()) && f.contains(&format!("materials.{key}")), "{f:?}");
        upload(&app, &me, id, &key, "clear.png", png()).await.expect(201);
        let mut fixed = form();
        fixed["contact_address"] = json!("湖北省武汉市洪山区珞喻路1037号3栋201室");
        act(&app, &me, id, json!({ "action": "resubmit", "form": fixed })).await.expect(200);
        act(&app, &helper, id, json!({ "action": "pass_pre_review" })).await.expect(200);

        // A civil servant of the centre accepts; each department approves its part in parallel.
        let window = staff(&app, "zhouli", "approval_officer", "420100", "", "420100-SMZJ").await;
        let c = act(&app, &window, id, json!({ "action": "accept" })).await.expect(200).json();
        assert_eq!(c["status"], "under_review");
        assert!(c["parts"].as_array().unwrap().iter().all(|p| p["status"] == "open"));
        assert!(c["decision_due"].is_string());
        act(&app, &helper, id, json!({ "action": "approve", "part": 1 })).await.problem(403, "forbidden");
        let mut approvals = Vec::new();
        for (n, dept) in ["420100-SCJGJ", "420100-GAJ", "420100-SWJ", "420100-RSJ", "420100-GJJ"].iter().enumerate() {
            let officer = staff(&app, &format!("officer{n}"), "approval_officer", "420100", dept, "").await;
            let part = c["parts"].as_array().unwrap().iter().find(|p| p["department_code"] == *dept).unwrap()["seq"].as_i64().unwrap();
            let app = app.clone();
            approvals.push(tokio::spawn(async move {
                act(&app, &officer, id, json!({ "action": "approve", "part": part, "opinion": "材料齐全，符合法定条件" })).await
            }));
        }
        for a in approvals {
            a.await.unwrap().expect(200);
        }
        let c = show(&app, &window, id).await;
        assert_eq!(c["status"], "decided");
        let c = act(&app, &window, id, json!({ "action": "issue_result" })).await.expect(200).json();
        assert_eq!(c["certificates"].as_array().unwrap().len(), 5);
        let p = act(&app, &helper, id, json!({ "action": "dispatch", "carrier": "", "tracking_no": "" })).await.problem(422, "invalid_input");
        assert!(fields(&p).contains(&"carrier".to_owned()));
        let c = act(&app, &helper, id, json!({ "action": "dispatch", "carrier": "中国邮政EMS", "tracking_no": "1180012345678" })).await.expect(200).json();
        assert_eq!((c["status"].as_str(), c["tracking_no"].as_str()), (Some("in_delivery"), Some("1180012345678")));
        let c = act(&app, &helper, id, json!({ "action": "confirm_delivery", "note": "本人签收" })).await.expect(200).json();
        assert_eq!(c["status"], "completed");
        assert_eq!(c["trips"], 0, "applied online, delivered by courier: no trip");

        // The applicant's view: own case, the timeline, the status link without personal data.
        let mine = app.get_as("/api/v1/cases", me.bearer()).await.expect(200).json();
        assert!(mine.as_array().unwrap().iter().any(|c| c["id"] == id));
        let url = c["status_url"].as_str().unwrap();
        let token = url.rsplit('/').next().unwrap();
        let public = app.get(&format!("/api/v1/status/{token}")).await.expect(200);
        let text = public.text();
        assert!(text.contains("completed"));
        for secret in ["张伟", "13871234567", "420111199003151239", "珞喻路"] {
            assert!(!text.contains(secret), "the public status shows {secret}");
        }
        let mut forged = token.to_owned();
        forged.push('A');
        app.get(&format!("/api/v1/status/{forged}")).await.problem(404, "not_found");
        // Refused attempts were audited.
        let audit = app.app.store.recent_audit(500).await.unwrap();
        assert!(audit.iter().filter(|e| e.action == "case.forbidden").count() >= 2);
        // The "最多跑一次" figures count the bundle's items.
        let stats = app.get("/api/v1/stats/trips").await.expect(200).json();
        assert!(stats.as_array().unwrap().iter().any(|s| s["item_code"] == "420100-GJJ-GG-001" && s["rate"] == 1.0));
        let guide = app.get("/items/420100-GJJ-GG-001").await.expect(200).text();
        assert!(guide.contains("已办结 1 件，其中 1 件未超过承诺跑动次数（100%）"), "the guide shows the trip record");
    })
    .await;
}

#[tokio::test]
async fn a_window_case_keeps_the_calendar_with_make_up_days_and_pauses() {
    // Friday 2026-09-25, 10:00 in Beijing.
    on_each_engine_at(micros(datetime!(2026-09-25 10:00 +8)), |app| async move {
        let clock = app.clock.clone().unwrap();
        let helper = app.login(HELPER).await;
        let body = json!({
            "applicant": { "kind": "natural_person", "identifier": "420106198511082641", "name": "李娜", "mobile": "13907125566" },
            "application": {
                "item_code": "420100-GJJ-GG-001", "situation": "S01",
                "form": form(), "delivery_method": "electronic"
            }
        });
        let case = post(&app, &helper, "/api/v1/window/cases", &body).await.expect(201).json();
        let id = case["id"].as_i64().unwrap();
        assert_eq!(case["status"], "submitted");
        assert_eq!(case["trips"], 1, "applying at the window is one trip");
        // Five working days from Friday 09-25: 28, 29, 30 Sep, then 8, 9 Oct.
        assert_eq!(case["accept_due"], "2026-10-09");
        // The helper collects the materials on the applicant's behalf, one is missing.
        let needed: Vec<String> = case["checklist"].as_array().unwrap().iter().filter(|e| e["needed_from_applicant"] == true).map(|e| e["key"].as_str().unwrap().to_owned()).collect();
        for key in &needed[1..] {
            upload(&app, &helper, id, key, "scan.png", png()).await.expect(201);
        }
        let p = act(&app, &helper, id, json!({ "action": "pass_pre_review" })).await.problem(422, "invalid_input");
        assert_eq!(fields(&p), [format!("materials.{}", needed[0])]);
        act(&app, &helper, id, json!({ "action": "request_correction", "items": [{ "target": needed[0], "problem": "missing", "note": "请补交营业执照副本" }] })).await.expect(200);
        upload(&app, &helper, id, &needed[0], "licence.png", png()).await.expect(201);
        act(&app, &helper, id, json!({ "action": "resubmit", "form": form() })).await.expect(200);
        act(&app, &helper, id, json!({ "action": "pass_pre_review" })).await.expect(200);
        // Accepted on Wednesday 09-30 by the housing-fund officer.
        clock.set(micros(datetime!(2026-09-30 09:00 +8)));
        let officer = staff(&app, "gjj_officer", "approval_officer", "420100", "420100-GJJ", "").await;
        let c = act(&app, &officer, id, json!({ "action": "accept" })).await.expect(200).json();
        // 5 statutory working days: Oct 1-7 are holidays, Saturday Oct 10 is a make-up workday.
        assert_eq!(c["decision_due"], "2026-10-13");
        assert_eq!(c["due_provisional"], false);
        clock.set(micros(datetime!(2026-10-09 09:00 +8)));
        let officer = app.login(("gjj_officer", "Test-officer-2026")).await;
        let c = act(&app, &officer, id, json!({ "action": "start_special_procedure", "kind": "expert_review", "reason": "组织专家评审" })).await.expect(200).json();
        assert_eq!(c["status"], "special_procedure");
        assert!(c["decision_due"].is_null(), "paused");
        clock.set(micros(datetime!(2026-10-14 09:00 +8)));
        let officer = app.login(("gjj_officer", "Test-officer-2026")).await;
        let helper = app.login(HELPER).await;
        let c = act(&app, &officer, id, json!({ "action": "end_special_procedure" })).await.expect(200).json();
        // Oct 10, 12, 13, 14 were paused: the three days left are Oct 15, 16, 19.
        assert_eq!(c["decision_due"], "2026-10-19");
        act(&app, &officer, id, json!({ "action": "claim", "part": 1 })).await.expect(200);
        act(&app, &officer, id, json!({ "action": "approve", "part": 1, "opinion": "同意开户" })).await.expect(200);
        act(&app, &officer, id, json!({ "action": "issue_result" })).await.expect(200);
        let c = act(&app, &helper, id, json!({ "action": "dispatch" })).await.expect(200).json();
        assert_eq!(c["status"], "completed", "electronic delivery completes at once");
        let due = app.get("/api/v1/calendar/due?from=2026-12-24&days=10").await.expect(200).json();
        assert_eq!(due, json!({ "due": "2027-01-07", "provisional": true }), "2027 has no notice yet");
    })
    .await;
}

#[tokio::test]
async fn unanswered_cases_are_accepted_by_law_and_escalated_once() {
    on_each_engine_at(micros(datetime!(2026-11-30 10:00 +8)), |app| async move {
        let clock = app.clock.clone().unwrap();
        let me = applicant(&app).await;
        let body = json!({ "item_code": "420100-GJJ-GG-001", "situation": "S01", "form": form(), "delivery_method": "electronic" });
        let case = post(&app, &me, "/api/v1/cases", &body).await.expect(201).json();
        let id = case["id"].as_i64().unwrap();
        provide_all(&app, &me, &case).await;
        let c = act(&app, &me, id, json!({ "action": "submit" })).await.expect(200).json();
        assert_eq!(c["accept_due"], "2026-12-07");
        // Day 4 of 5: 80 % used, yellow, the supervisor is told once.
        clock.set(micros(datetime!(2026-12-04 10:00 +8)));
        let me = applicant(&app).await;
        let r = app.app.run_deadline_job("instance-a").await.unwrap();
        assert!(r.ran);
        assert_eq!((r.deemed_accepted, r.escalated), (0, 1));
        assert!(!app.app.run_deadline_job("instance-b").await.unwrap().ran, "the other instance waits for the lease");
        let r = app.app.run_deadline_job("instance-a").await.unwrap();
        assert_eq!(r.escalated, 0, "once per threshold");
        let c = show(&app, &me, id).await;
        assert_eq!(c["warning"], "yellow");
        // Nobody answered within five working days: accepted by law as of receipt.
        clock.set(micros(datetime!(2026-12-08 10:00 +8)));
        let me = applicant(&app).await;
        let r = app.app.run_deadline_job("instance-a").await.unwrap();
        // Accepted as of 11-30, its 5 working days ended on 12-07: red at once.
        assert_eq!((r.deemed_accepted, r.escalated), (1, 1));
        let c = show(&app, &me, id).await;
        assert_eq!(c["status"], "under_review");
        assert_eq!(c["acceptance"], "deemed");
        assert_eq!(c["accepted_on"], "2026-11-30");
        assert_eq!(c["decision_due"], "2026-12-07");
        assert_eq!(c["warning"], "red");
        assert_eq!(app.app.run_deadline_job("instance-a").await.unwrap().escalated, 0);
        // The supervisor's in-app messages arrive when the outbox is delivered.
        let transports = onetrip_app::notifications::transports(&app.app.config.notify).unwrap();
        app.app.deliver_outbox(&transports, "worker", 500).await.unwrap();
        let zhaomin = app.login(("zhaomin", "Demo-super-2026")).await;
        let inbox = app.get_as("/api/v1/messages", zhaomin.bearer()).await.expect(200).json();
        let warnings = inbox.as_array().unwrap().iter().filter(|m| m["case_id"] == id).count();
        assert_eq!(warnings, 2, "one yellow, one red");
        let mine = app.get_as("/api/v1/messages", me.bearer()).await.expect(200).json();
        assert!(mine.as_array().unwrap().iter().any(|m| m["subject"].as_str().unwrap().contains("视为受理")));
    })
    .await;
}

#[tokio::test]
async fn two_concurrent_approvals_give_one_transition_and_one_409() {
    on_each_engine(|app| async move {
        let me = applicant(&app).await;
        let body = json!({ "item_code": "420100-SCJGJ-XK-002", "situation": "S01", "form": form(), "delivery_method": "pickup" });
        let case = post(&app, &me, "/api/v1/cases", &body).await.expect(201).json();
        let id = case["id"].as_i64().unwrap();
        provide_all(&app, &me, &case).await;
        act(&app, &me, id, json!({ "action": "submit" })).await.expect(200);
        let helper = app.login(HELPER).await;
        act(&app, &helper, id, json!({ "action": "pass_pre_review" })).await.expect(200);
        let liqiang = app.login(OFFICER).await;
        act(&app, &liqiang, id, json!({ "action": "accept" })).await.expect(200);
        let second = staff(&app, "scj2", "approval_officer", "420100", "420100-SCJGJ", "").await;
        let (a, b) = tokio::join!(
            act(&app, &liqiang, id, json!({ "action": "approve", "part": 1, "opinion": "同意" })),
            act(&app, &second, id, json!({ "action": "approve", "part": 1, "opinion": "同意" })),
        );
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409]);
        let loser = if a.status.as_u16() == 409 { a } else { b };
        let p = loser.problem(409, "conflict");
        assert!(p["message"].as_str().unwrap().contains("issue_result"), "names what is allowed now: {p}");
        let d = app.app.store.case_detail(id).await.unwrap().unwrap();
        assert_eq!(d.events.iter().filter(|e| e.action == onetrip_domain::case::CaseAction::Approve).count(), 1);
        // Pickup at the window counts a trip.
        act(&app, &liqiang, id, json!({ "action": "issue_result" })).await.expect(200);
        act(&app, &helper, id, json!({ "action": "dispatch" })).await.expect(200);
        let c = act(&app, &helper, id, json!({ "action": "confirm_delivery", "note": "本人领取" })).await.expect(200).json();
        assert_eq!((c["status"].as_str(), c["trips"].as_i64()), (Some("completed"), Some(1)));
    })
    .await;
}

#[tokio::test]
async fn department_systems_pull_tasks_and_post_decisions_with_api_tokens() {
    on_each_engine(|app| async move {
        let admin = app.login(api_common::ADMIN).await;
        let liqiang_id = app.staff_id("liqiang").await;
        let issued = post(&app, &admin, "/api/v1/api-tokens", &json!({ "staff_id": liqiang_id, "name": "市场监管局审批系统", "days": 30 })).await.expect(201).json();
        let token = issued["token"].as_str().unwrap().to_owned();
        assert!(token.starts_with("otk_"));
        let helper = app.login(HELPER).await;
        post(&app, &helper, "/api/v1/api-tokens", &json!({ "staff_id": liqiang_id, "name": "x", "days": 30 })).await.problem(403, "forbidden");
        let me = applicant(&app).await;
        let body = json!({ "item_code": "420100-SCJGJ-XK-002", "situation": "S01", "form": form(), "delivery_method": "pickup" });
        let case = post(&app, &me, "/api/v1/cases", &body).await.expect(201).json();
        let id = case["id"].as_i64().unwrap();
        provide_all(&app, &me, &case).await;
        act(&app, &me, id, json!({ "action": "submit" })).await.expect(200);
        act(&app, &helper, id, json!({ "action": "pass_pre_review" })).await.expect(200);
        let system = Login { token: token.clone(), csrf: String::new(), id: liqiang_id };
        act(&app, &system, id, json!({ "action": "accept" })).await.expect(200);
        let tasks = app.get_as("/api/v1/tasks", Auth::Bearer(&token)).await.expect(200).json();
        let task = tasks.as_array().unwrap().iter().find(|t| t["case_id"] == id).expect("the task is in the inbox");
        assert_eq!(task["status"], "open");
        act(&app, &system, id, json!({ "action": "deny", "part": 1, "reasons": "经营场所与登记住所不一致" })).await.expect(200);
        let c = show(&app, &me, id).await;
        assert_eq!(c["parts"][0]["decision"], "denied");
        let tid = issued["id"].as_i64().unwrap();
        app.send(Method::DELETE, &format!("/api/v1/api-tokens/{tid}"), admin.bearer(), None).await.expect(204);
        app.get_as("/api/v1/tasks", Auth::Bearer(&token)).await.problem(401, "unauthenticated");
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_lists_the_case_endpoints() {
    on_each_engine(|app| async move {
        let doc = app.get("/api/openapi.json").await.expect(200).json();
        for path in [
            "/api/v1/cases",
            "/api/v1/cases/{id}/actions",
            "/api/v1/tasks",
            "/api/v1/status/{token}",
            "/api/v1/calendar/due",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
    })
    .await;
}

#[tokio::test]
async fn a_window_bundle_runs_from_correction_to_courier_delivery() {
    on_each_engine(|app| async move {
        let helper = app.login(HELPER).await;
        let body = json!({
            "applicant": { "kind": "natural_person", "identifier": "420111199003151239" },
            "application": {
                "bundle_code": "420100-YJS-KBQY",
                "form": form(), "delivery_method": "courier", "courier": courier()
            }
        });
        let case = post(&app, &helper, "/api/v1/window/cases", &body).await.expect(201).json();
        let id = case["id"].as_i64().unwrap();
        assert_eq!((case["status"].as_str(), case["channel"].as_str()), (Some("submitted"), Some("window")));
        // The helper collects every material on the applicant's behalf.
        provide_all(&app, &helper, &case).await;
        let key = case["checklist"][1]["key"].as_str().unwrap().to_owned();
        act(&app, &helper, id, json!({
            "action": "request_correction",
            "items": [{ "target": key, "problem": "expired", "note": "住所使用证明已过期，请提供有效租赁合同" }]
        })).await.expect(200);
        upload(&app, &helper, id, &key, "lease.png", png()).await.expect(201);
        act(&app, &helper, id, json!({ "action": "resubmit", "form": form() })).await.expect(200);
        act(&app, &helper, id, json!({ "action": "pass_pre_review" })).await.expect(200);
        // The centre's civil servant accepts; five departments decide in parallel.
        let sunli = app.login(("sunli", "Demo-officer-2026")).await;
        let c = act(&app, &sunli, id, json!({ "action": "accept" })).await.expect(200).json();
        let officers = [
            ("420100-SCJGJ", "liqiang"),
            ("420100-GAJ", "huangwei"),
            ("420100-SWJ", "wujun"),
            ("420100-RSJ", "yangxue"),
            ("420100-GJJ", "wujun"),
        ];
        let mut decisions = Vec::new();
        for (dept, username) in officers {
            let officer = app.login((username, "Demo-officer-2026")).await;
            let part = c["parts"].as_array().unwrap().iter().find(|p| p["department_code"] == dept).unwrap()["seq"].as_i64().unwrap();
            let app = app.clone();
            decisions.push(tokio::spawn(async move {
                act(&app, &officer, id, json!({ "action": "approve", "part": part, "opinion": "同意" })).await
            }));
        }
        for d in decisions {
            d.await.unwrap().expect(200);
        }
        act(&app, &sunli, id, json!({ "action": "issue_result" })).await.expect(200);
        act(&app, &helper, id, json!({ "action": "dispatch", "carrier": "顺丰速运", "tracking_no": "SF1234567890123" })).await.expect(200);
        let c = act(&app, &helper, id, json!({ "action": "confirm_delivery", "note": "快递签收" })).await.expect(200).json();
        assert_eq!(c["status"], "completed");
        assert_eq!(c["certificates"].as_array().unwrap().len(), 5);
        assert_eq!(c["trips"], 1, "the one visit to the window");
        let actions: Vec<&str> = c["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "approve").count(), 5);
        assert!(actions.starts_with(&["submit", "request_correction", "resubmit", "pass_pre_review", "accept"]), "{actions:?}");
    })
    .await;
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_and_stores_nothing() {
    on_each_engine(|app| async move {
        let me = applicant(&app).await;
        let body = json!({ "item_code": "420100-GJJ-GG-001", "situation": "S01", "form": form(), "delivery_method": "electronic" });
        let case = post(&app, &me, "/api/v1/cases", &body).await.expect(201).json();
        let id = case["id"].as_i64().unwrap();
        let key = case["checklist"][1]["key"].as_str().unwrap().to_owned();
        let mut big = png();
        big.resize(usize::try_from(onetrip_domain::upload::MAX_UPLOAD_BYTES).unwrap() + 1, 0);
        upload(&app, &me, id, &key, "big.png", big).await.problem(413, "too_large");
        let c = show(&app, &me, id).await;
        assert!(c["checklist"].as_array().unwrap().iter().all(|e| e["revision"] == 0), "nothing stored");
        let files = app.app.files_dir();
        assert!(!files.exists() || std::fs::read_dir(&files).unwrap().next().is_none());
    })
    .await;
}
