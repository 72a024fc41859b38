//! Case fixtures shared by the case conformance tests and the backup tests.

use onetrip_domain::access::EmploymentType;
use onetrip_domain::calendar::{WarningLevel, builtin_notices};
use onetrip_domain::case::{
    ApplicationForm, CorrectionItem, CorrectionProblem, CourierDetails, DeliveryMethod,
    IntakeChannel, MaterialKind, PauseKind, build_checklist,
};
use onetrip_domain::catalogue::ServiceItemBody;
use onetrip_domain::identity::{ApplicantIdentity, ResidentIdNumber};
use onetrip_store::{
    ApplicantRecord, CaseActor, CaseChange, CaseCommand, CaseRecord, DeliveryOutcome, NewApplicant,
    NewCase, NewCasePart, NewMaterial, NewNotification, StaffRecord, Store, StoreResult,
};
use time::Date;

use super::{Clock, demo_doc, new_staff};

/// Imports the catalogue and the built-in holiday notices.
pub async fn setup(s: &dyn Store, clock: &Clock) {
    s.import_catalogue(&clock.ctx(), &demo_doc())
        .await
        .expect("import");
    notices(s, clock).await;
}

/// Imports the built-in holiday notices.
pub async fn notices(s: &dyn Store, clock: &Clock) {
    for n in builtin_notices() {
        s.import_calendar_notice(&clock.ctx(), &n)
            .await
            .expect("notice");
    }
}

/// A registered applicant.
pub async fn person(s: &dyn Store, clock: &Clock, id: &str, name: &str) -> ApplicantRecord {
    s.register_applicant(
        &clock.ctx(),
        &NewApplicant {
            identity: ApplicantIdentity::NaturalPerson(ResidentIdNumber::parse(id).expect("id")),
            name: name.into(),
            mobile: "13912345678".into(),
            email: Some("applicant@example.com".into()),
            password_hash: "$argon2id$x".into(),
        },
    )
    .await
    .expect("applicant")
}

/// A civil-servant staff account.
pub async fn officer(s: &dyn Store, clock: &Clock, name: &str) -> StaffRecord {
    s.create_staff(&clock.ctx(), &new_staff(name, EmploymentType::CivilServant))
        .await
        .expect("staff")
}

/// The published body of a demo item.
pub fn item(code: &str) -> ServiceItemBody {
    demo_doc()
        .items
        .into_iter()
        .find(|i| {
            i.body.code == code && i.status == onetrip_domain::catalogue::ItemStatus::Published
        })
        .expect("demo item")
        .body
}

/// A valid form.
pub fn form() -> ApplicationForm {
    ApplicationForm {
        contact_name: "王小明".into(),
        contact_phone: "13912345678".into(),
        contact_address: "湖北省武汉市洪山区珞喻路1037号".into(),
        description: "申请办理".into(),
    }
}

/// A new case for the given items and situations.
pub fn new_case(
    items: &[(&str, &str)],
    applicant_id: i64,
    channel: IntakeChannel,
    today: Date,
) -> NewCase {
    let bodies: Vec<ServiceItemBody> = items.iter().map(|(c, _)| item(c)).collect();
    let pairs: Vec<(&ServiceItemBody, &str)> = bodies
        .iter()
        .zip(items)
        .map(|(b, (_, s))| (b, *s))
        .collect();
    NewCase {
        applicant_id,
        channel,
        received_by: None,
        bundle_code: (items.len() > 1).then(|| "420111-YJS-KCG".to_owned()),
        region: bodies[0].region.clone(),
        centre_code: String::new(),
        title: bodies[0].name.clone(),
        form: form(),
        checklist: build_checklist(&pairs),
        delivery_method: DeliveryMethod::Courier,
        delivery: CourierDetails {
            recipient: "王小明".into(),
            phone: "13912345678".into(),
            address: "湖北省武汉市洪山区珞喻路1037号".into(),
            ..CourierDetails::default()
        },
        parts: bodies
            .iter()
            .zip(items)
            .map(|(b, (_, s))| NewCasePart {
                item_code: b.code.clone(),
                item_version: 1,
                situation_code: (*s).to_owned(),
                department_code: b.implementing_body.clone(),
                region_code: b.region.as_str().to_owned(),
                name: b.name.clone(),
                result_name: b.result.name.clone(),
                statutory_days: b.statutory_limit_days,
                promised_days: b.promised_limit_days,
                promised_trips: u32::from(b.on_site_trips),
            })
            .collect(),
        today,
        status_nonce: format!("nonce-{applicant_id}-{}", items[0].0),
        notifications: vec![NewNotification {
            channel: "in_app".into(),
            recipient: format!("applicant:{applicant_id}"),
            subject: "办件 {case_no} 已收到".into(),
            body: "您的申请 {case_no} 已收到".into(),
        }],
    }
}

/// A change applied by `actor` on `today`.
pub async fn act(
    s: &dyn Store,
    clock: &Clock,
    case: &CaseRecord,
    actor: CaseActor,
    today: Date,
    command: CaseCommand,
) -> StoreResult<CaseRecord> {
    s.apply_case_change(
        &clock.ctx(),
        &CaseChange {
            case_id: case.id,
            actor,
            today,
            command,
            notifications: vec![NewNotification {
                channel: "sms".into(),
                recipient: "13912345678".into(),
                subject: "进度".into(),
                body: "进度更新".into(),
            }],
        },
    )
    .await
}

/// Provides every material the applicant must provide.
pub async fn provide_all(s: &dyn Store, clock: &Clock, case: &CaseRecord, actor: CaseActor) {
    for e in case.checklist.iter().filter(|e| e.needed_from_applicant()) {
        provide(s, clock, case, actor, &e.key)
            .await
            .expect("material");
    }
}

/// Provides one material as an upload.
pub async fn provide(
    s: &dyn Store,
    clock: &Clock,
    case: &CaseRecord,
    actor: CaseActor,
    key: &str,
) -> StoreResult<onetrip_store::MaterialRecord> {
    s.provide_material(
        &clock.ctx(),
        case.id,
        actor,
        &NewMaterial {
            material_key: key.into(),
            kind: MaterialKind::Upload,
            file_sha256: Some(format!("{:0>64}", key.len())),
            file_name: Some(format!("{key}.pdf")),
            content_type: Some("application/pdf".into()),
            size_bytes: Some(1234),
            form_text: None,
        },
    )
    .await
}

/// Runs one case through every kind of step so that every case table has
/// rows: correction and resubmission, acceptance, claim, extension, a
/// special procedure, approval, result, courier delivery; a second case is
/// left suspended; an escalation, an outbox delivery with an in-app message,
/// a job lease and an API token complete the picture. The catalogue must
/// be imported already.
pub async fn populate(s: &dyn Store, clock: &Clock) {
    notices(s, clock).await;
    let a = person(s, clock, "420111199003151239", "王小明").await;
    let o = officer(s, clock, "case_officer").await;
    let staff = CaseActor::Staff(o.id);
    let me = CaseActor::Applicant(a.id);
    let d = |m: u8, day: u8| {
        Date::from_calendar_date(2026, time::Month::try_from(m).expect("month"), day).expect("date")
    };
    let case = s
        .open_case(
            &clock.ctx(),
            &new_case(
                &[("420111-SCJGJ-XK-002", "S01")],
                a.id,
                IntakeChannel::Online,
                d(9, 1),
            ),
        )
        .await
        .expect("open");
    provide_all(s, clock, &case, me).await;
    let case = act(s, clock, &case, me, d(9, 1), CaseCommand::Submit)
        .await
        .expect("submit");
    let first = case.checklist[0].key.clone();
    let case = act(
        s,
        clock,
        &case,
        staff,
        d(9, 2),
        CaseCommand::RequestCorrection {
            items: vec![
                CorrectionItem {
                    target: first.clone(),
                    problem: CorrectionProblem::Unclear,
                    note: "扫描件不清晰，请重新上传".into(),
                },
                CorrectionItem {
                    target: "form.contact_address".into(),
                    problem: CorrectionProblem::Defective,
                    note: "请填写门牌号".into(),
                },
            ],
        },
    )
    .await
    .expect("correction");
    provide(s, clock, &case, me, &first).await.expect("again");
    let mut fixed = form();
    fixed.contact_address = "湖北省武汉市洪山区珞喻路1037号华中科技大学东校区".into();
    let case = act(
        s,
        clock,
        &case,
        me,
        d(9, 3),
        CaseCommand::Resubmit { form: fixed },
    )
    .await
    .expect("resubmit");
    let case = act(s, clock, &case, staff, d(9, 4), CaseCommand::PassPreReview)
        .await
        .expect("pre-review");
    let case = act(s, clock, &case, staff, d(9, 7), CaseCommand::Accept)
        .await
        .expect("accept");
    let case = act(
        s,
        clock,
        &case,
        staff,
        d(9, 8),
        CaseCommand::Claim { part: 1 },
    )
    .await
    .expect("claim");
    let case = act(
        s,
        clock,
        &case,
        staff,
        d(9, 9),
        CaseCommand::Extend {
            part: 1,
            days: 10,
            reason: "需现场核查经营场所".into(),
        },
    )
    .await
    .expect("extend");
    let case = act(
        s,
        clock,
        &case,
        staff,
        d(9, 10),
        CaseCommand::StartSpecialProcedure {
            kind: PauseKind::SiteSurvey,
            reason: "现场核查".into(),
        },
    )
    .await
    .expect("special");
    let case = act(
        s,
        clock,
        &case,
        staff,
        d(9, 15),
        CaseCommand::EndSpecialProcedure,
    )
    .await
    .expect("end");
    let case = act(
        s,
        clock,
        &case,
        staff,
        d(9, 16),
        CaseCommand::Approve {
            part: 1,
            opinion: "符合条件，准予许可".into(),
            valid_until: Some(d(12, 31).replace_year(2031).expect("year")),
        },
    )
    .await
    .expect("approve");
    let case = act(s, clock, &case, staff, d(9, 17), CaseCommand::IssueResult)
        .await
        .expect("result");
    let case = act(
        s,
        clock,
        &case,
        staff,
        d(9, 17),
        CaseCommand::Dispatch {
            carrier: "中国邮政EMS".into(),
            tracking_no: "1180012345678".into(),
        },
    )
    .await
    .expect("dispatch");
    act(
        s,
        clock,
        &case,
        staff,
        d(9, 18),
        CaseCommand::ConfirmDelivery {
            note: "本人签收".into(),
        },
    )
    .await
    .expect("delivered");
    s.record_trip(&clock.ctx(), case.id, "咨询")
        .await
        .expect("trip");

    let mut window = new_case(
        &[("420111-SCJGJ-XK-001", "S01")],
        a.id,
        IntakeChannel::Window,
        d(9, 1),
    );
    window.received_by = Some(o.id);
    window.status_nonce = "nonce-window".into();
    let second = s.open_case(&clock.ctx(), &window).await.expect("window");
    provide_all(s, clock, &second, staff).await;
    let second = act(
        s,
        clock,
        &second,
        staff,
        d(9, 1),
        CaseCommand::PassPreReview,
    )
    .await
    .expect("pass");
    let second = act(s, clock, &second, staff, d(9, 2), CaseCommand::Accept)
        .await
        .expect("accept");
    act(
        s,
        clock,
        &second,
        staff,
        d(9, 3),
        CaseCommand::Suspend {
            reason: "申请人申请中止".into(),
        },
    )
    .await
    .expect("suspend");
    s.record_warning(
        &clock.ctx(),
        second.id,
        1,
        WarningLevel::Yellow,
        &[NewNotification {
            channel: "in_app".into(),
            recipient: format!("staff:{}", o.id),
            subject: "预警".into(),
            body: "临近期限".into(),
        }],
    )
    .await
    .expect("warning");
    let now = clock.tick();
    let claimed = s
        .claim_outbox("worker-1", now, 60_000_000, 100)
        .await
        .expect("claim");
    for row in claimed.iter().filter(|r| r.channel == "in_app") {
        s.complete_outbox(&clock.ctx(), row.id, "worker-1", &DeliveryOutcome::Sent)
            .await
            .expect("sent");
    }
    assert!(
        s.acquire_lease("deadlines", "worker-1", now, now + 60_000_000)
            .await
            .expect("lease")
    );
    s.create_api_token(
        &clock.ctx(),
        o.id,
        "部门审批系统",
        "tokenhash-1",
        now + 86_400_000_000,
    )
    .await
    .expect("token");
    super::hall::populate(s, clock, a.id).await;
}
