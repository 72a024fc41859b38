//! Case handling conformance: the same rules on every engine.

// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::cases::{act, new_case, officer, person, provide, provide_all, setup};
use common::{Clock, assert_conflict, for_each_engine, invalid_fields, verified_chain};
use onetrip_domain::calendar::{HolidayNotice, HolidayPeriod, WarningLevel};
use onetrip_domain::case::{
    AcceptanceKind, CaseAction, CaseStatus, CorrectionItem, CorrectionProblem, IntakeChannel,
    NoticeKind, PartStatus, PauseKind,
};
use onetrip_domain::text::Text;
use onetrip_store::{
    CaseActor, CaseCommand, CaseFilter, DeliveryOutcome, InboxFilter, NewNotification, Store,
    StoreError,
};
use time::Date;
use time::macros::date;

fn correction(target: &str) -> CaseCommand {
    CaseCommand::RequestCorrection {
        items: vec![CorrectionItem {
            target: target.into(),
            problem: CorrectionProblem::Missing,
            note: "请补充".into(),
        }],
    }
}

/// Files, submits, passes pre-review and accepts a single-item case.
async fn accepted(
    s: &dyn Store,
    clock: &Clock,
    item: &str,
    applicant: i64,
    staff: i64,
    on: Date,
) -> onetrip_store::CaseRecord {
    let me = CaseActor::Applicant(applicant);
    let case = s
        .open_case(
            &clock.ctx(),
            &new_case(&[(item, "S01")], applicant, IntakeChannel::Online, on),
        )
        .await
        .unwrap();
    provide_all(s, clock, &case, me).await;
    let case = act(s, clock, &case, me, on, CaseCommand::Submit)
        .await
        .unwrap();
    let case = act(
        s,
        clock,
        &case,
        CaseActor::Staff(staff),
        on,
        CaseCommand::PassPreReview,
    )
    .await
    .unwrap();
    act(
        s,
        clock,
        &case,
        CaseActor::Staff(staff),
        on,
        CaseCommand::Accept,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn case_numbers_are_region_date_sequence_and_unique_under_concurrency() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Arc::new(Clock::new());
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let mut handles = Vec::new();
        for _ in 0..12 {
            let (s, clock) = (s.clone(), clock.clone());
            handles.push(tokio::spawn(async move {
                let mut new = new_case(
                    &[("420111-SCJGJ-XK-002", "S01")],
                    a.id,
                    IntakeChannel::Online,
                    date!(2026 - 12 - 01),
                );
                new.status_nonce = format!("n-{}", clock.tick());
                s.open_case(&clock.ctx(), &new).await.unwrap().case_no
            }));
        }
        let mut numbers = BTreeSet::new();
        for h in handles {
            numbers.insert(h.await.unwrap());
        }
        let expected: BTreeSet<String> =
            (1..=12).map(|n| format!("42011120261201{n:05}")).collect();
        assert_eq!(
            numbers, expected,
            "unique, gap-free, region + date + sequence"
        );
        let mut other = new_case(
            &[("420100-GJJ-GG-001", "S01")],
            a.id,
            IntakeChannel::Online,
            date!(2026 - 12 - 01),
        );
        other.status_nonce = "other".into();
        let c = s.open_case(&clock.ctx(), &other).await.unwrap();
        assert_eq!(
            c.case_no, "4201002026120100001",
            "another region counts on its own"
        );
    })
    .await;
}

#[tokio::test]
async fn lifecycle_keeps_every_record_and_audits_each_step() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        s.import_catalogue(&clock.ctx(), &common::demo_doc())
            .await
            .unwrap();
        common::cases::populate(&*s, &clock).await;
        let cases = s
            .list_cases(&CaseFilter {
                limit: 10,
                ..CaseFilter::default()
            })
            .await
            .unwrap();
        let done = cases
            .iter()
            .find(|c| c.status == CaseStatus::Completed)
            .expect("completed case");
        let d = s.case_detail(done.id).await.unwrap().unwrap();
        let actions: Vec<CaseAction> = d.events.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            [
                CaseAction::Submit,
                CaseAction::RequestCorrection,
                CaseAction::Resubmit,
                CaseAction::PassPreReview,
                CaseAction::Accept,
                CaseAction::Claim,
                CaseAction::Extend,
                CaseAction::StartSpecialProcedure,
                CaseAction::EndSpecialProcedure,
                CaseAction::Approve,
                CaseAction::IssueResult,
                CaseAction::Dispatch,
                CaseAction::ConfirmDelivery,
            ]
        );
        assert_eq!(
            d.form_versions.len(),
            2,
            "the corrected form is a new version"
        );
        assert_ne!(d.form_versions[0].form, d.form_versions[1].form);
        let first = &d.case.checklist[0].key;
        let revisions: Vec<i64> = d
            .materials
            .iter()
            .filter(|m| &m.material_key == first)
            .map(|m| m.revision)
            .collect();
        assert_eq!(
            revisions,
            [1, 2],
            "both versions of the corrected material are kept"
        );
        assert_eq!(d.corrections.len(), 1);
        assert!(d.corrections[0].answered_at.is_some());
        let kinds: Vec<NoticeKind> = d.notices.iter().map(|n| n.kind).collect();
        assert_eq!(
            kinds,
            [
                NoticeKind::Correction,
                NoticeKind::Acceptance,
                NoticeKind::Result
            ]
        );
        assert_eq!(d.certificates.len(), 1);
        assert_eq!(d.certificates[0].cert_no, format!("{}-01", d.case.case_no));
        assert_eq!(d.certificates[0].valid_until, Some(date!(2031 - 12 - 31)));
        assert_eq!(
            d.parts[0].certificate_no.as_deref(),
            Some(d.certificates[0].cert_no.as_str())
        );
        assert_eq!(d.case.delivery.tracking_no, "1180012345678");
        assert_eq!(d.case.acceptance, Some(AcceptanceKind::Explicit));
        assert!(d.case.completed_at.is_some());
        assert_eq!(d.trips.len(), 1);
        assert_eq!(d.pauses.len(), 1);
        assert_eq!(d.pauses[0].until, Some(date!(2026 - 09 - 15)));
        let cert = s
            .certificate(&d.certificates[0].cert_no)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cert.holder_identifier, "420111199003151239");
        // Every step is in the verified audit chain.
        let chain = verified_chain(&*s).await;
        let subject = format!("case:{}", d.case.case_no);
        let audited: Vec<&str> = chain
            .iter()
            .filter(|e| e.subject == subject && e.action.starts_with("case."))
            .map(|e| e.action.as_str())
            .collect();
        assert!(
            audited.contains(&"case.accept")
                && audited.contains(&"case.approve")
                && audited.contains(&"case.confirm_delivery"),
            "{audited:?}"
        );
        // Trip statistics count the completed case.
        let stats = s.trip_stats().await.unwrap();
        let stat = stats
            .iter()
            .find(|t| t.item_code == "420111-SCJGJ-XK-002")
            .unwrap();
        assert_eq!((stat.completed, stat.trips), (1, 1));
        assert_eq!(
            stat.within_promise,
            i64::from(stat.trips <= stat.promised_trips)
        );
    })
    .await;
}

#[tokio::test]
async fn actions_not_allowed_now_conflict_and_name_the_allowed_ones() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let o = officer(&*s, &clock, "officer").await;
        let case = s
            .open_case(
                &clock.ctx(),
                &new_case(
                    &[("420111-SCJGJ-XK-002", "S01")],
                    a.id,
                    IntakeChannel::Online,
                    date!(2026 - 12 - 01),
                ),
            )
            .await
            .unwrap();
        let me = CaseActor::Applicant(a.id);
        provide_all(&*s, &clock, &case, me).await;
        let case = act(
            &*s,
            &clock,
            &case,
            me,
            date!(2026 - 12 - 01),
            CaseCommand::Submit,
        )
        .await
        .unwrap();
        let r = act(
            &*s,
            &clock,
            &case,
            CaseActor::Staff(o.id),
            date!(2026 - 12 - 01),
            CaseCommand::Approve {
                part: 1,
                opinion: String::new(),
                valid_until: None,
            },
        )
        .await;
        match r {
            Err(StoreError::Conflict(msg)) => {
                assert!(
                    msg.contains("pass_pre_review") && msg.contains("refuse"),
                    "{msg}"
                );
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        // An applicant cannot take staff actions, nor a stranger theirs.
        let r = act(
            &*s,
            &clock,
            &case,
            me,
            date!(2026 - 12 - 01),
            CaseCommand::PassPreReview,
        )
        .await;
        assert!(matches!(r, Err(StoreError::Forbidden(_))), "{r:?}");
        let r = act(
            &*s,
            &clock,
            &case,
            CaseActor::Applicant(a.id + 99),
            date!(2026 - 12 - 01),
            CaseCommand::Withdraw { reason: "x".into() },
        )
        .await;
        assert!(matches!(r, Err(StoreError::Forbidden(_))), "{r:?}");
        // Nothing changed.
        let d = s.case_detail(case.id).await.unwrap().unwrap();
        assert_eq!(d.case.status, CaseStatus::Submitted);
        assert_eq!(d.events.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn two_concurrent_approvals_make_one_transition_and_one_conflict() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Arc::new(Clock::new());
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let o1 = officer(&*s, &clock, "officer1").await;
        let o2 = officer(&*s, &clock, "officer2").await;
        let case = accepted(
            &*s,
            &clock,
            "420111-SCJGJ-XK-002",
            a.id,
            o1.id,
            date!(2026 - 12 - 01),
        )
        .await;
        let mut handles = Vec::new();
        for staff in [o1.id, o2.id] {
            let (s, clock, case) = (s.clone(), clock.clone(), case.clone());
            handles.push(tokio::spawn(async move {
                act(
                    &*s,
                    &clock,
                    &case,
                    CaseActor::Staff(staff),
                    date!(2026 - 12 - 02),
                    CaseCommand::Approve {
                        part: 1,
                        opinion: "同意".into(),
                        valid_until: None,
                    },
                )
                .await
            }));
        }
        let mut ok = 0;
        let mut conflicts = 0;
        for h in handles {
            match h.await.unwrap() {
                Ok(c) => {
                    assert_eq!(c.status, CaseStatus::Decided);
                    ok += 1;
                }
                Err(StoreError::Conflict(_)) => conflicts += 1,
                Err(e) => panic!("unexpected {e}"),
            }
        }
        assert_eq!((ok, conflicts), (1, 1));
        let d = s.case_detail(case.id).await.unwrap().unwrap();
        assert_eq!(
            d.events
                .iter()
                .filter(|e| e.action == CaseAction::Approve)
                .count(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn due_dates_follow_holidays_make_up_days_and_pauses() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let o = officer(&*s, &clock, "officer").await;
        // 住房公积金单位登记开户: 5 statutory working days.
        let case = accepted(
            &*s,
            &clock,
            "420100-GJJ-GG-001",
            a.id,
            o.id,
            date!(2026 - 09 - 30),
        )
        .await;
        // Oct 1-7 are holidays, Oct 10 (Saturday) is a make-up workday:
        // Oct 8, 9, 10, 12, 13.
        assert_eq!(case.decision_due, Some(date!(2026 - 10 - 13)));
        assert!(!case.due_provisional);
        // The acceptance limit counted 5 working days from the receipt.
        assert_eq!(case.accept_due, Some(date!(2026 - 10 - 13)));
        let staff = CaseActor::Staff(o.id);
        let case = act(
            &*s,
            &clock,
            &case,
            staff,
            date!(2026 - 10 - 09),
            CaseCommand::StartSpecialProcedure {
                kind: PauseKind::ExpertReview,
                reason: "专家评审".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            case.decision_due, None,
            "no due date while the clock is paused"
        );
        let case = act(
            &*s,
            &clock,
            &case,
            staff,
            date!(2026 - 10 - 14),
            CaseCommand::EndSpecialProcedure,
        )
        .await
        .unwrap();
        // Working days in (Oct 9, Oct 14] do not count: Oct 10, 12, 13, 14.
        // Used before the pause: Oct 8, 9 (2 of 5); remaining 3: Oct 15, 16, 19.
        assert_eq!(case.decision_due, Some(date!(2026 - 10 - 19)));
        let case = act(
            &*s,
            &clock,
            &case,
            staff,
            date!(2026 - 10 - 15),
            CaseCommand::Extend {
                part: 1,
                days: 10,
                reason: "需要核实".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(case.decision_due, Some(date!(2026 - 11 - 02)));
        let again = act(
            &*s,
            &clock,
            &case,
            staff,
            date!(2026 - 10 - 16),
            CaseCommand::Extend {
                part: 1,
                days: 1,
                reason: "again".into(),
            },
        )
        .await;
        assert_conflict(again);
        let too_long = act(
            &*s,
            &clock,
            &case,
            staff,
            date!(2026 - 10 - 16),
            CaseCommand::Extend {
                part: 1,
                days: 11,
                reason: "x".into(),
            },
        )
        .await;
        assert!(invalid_fields(too_long).contains("days"));
    })
    .await;
}

#[tokio::test]
async fn provisional_due_dates_are_recomputed_when_the_notice_arrives() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let o = officer(&*s, &clock, "officer").await;
        // 食品经营许可: 10 statutory days, accepted on 2026-12-24 → runs into 2027.
        let case = accepted(
            &*s,
            &clock,
            "420111-SCJGJ-XK-002",
            a.id,
            o.id,
            date!(2026 - 12 - 24),
        )
        .await;
        // Weekends only in 2027: Dec 25, 28, 29, 30, 31, Jan 1, 4, 5, 6, 7.
        assert_eq!(case.decision_due, Some(date!(2027 - 01 - 07)));
        assert!(case.due_provisional, "2027 has no notice yet");
        let notice = HolidayNotice {
            year: 2027,
            source: "国办发明电〔2026〕测试号".into(),
            holidays: vec![HolidayPeriod {
                name: Text::new("元旦", "New Year's Day"),
                from: date!(2027 - 01 - 01),
                to: date!(2027 - 01 - 03),
            }],
            makeup_workdays: vec![],
        };
        let done = s
            .import_calendar_notice(&clock.ctx(), &notice)
            .await
            .unwrap();
        assert!(!done.replaced);
        assert!(done.cases_recomputed >= 1);
        let d = s.case_detail(case.id).await.unwrap().unwrap();
        assert_eq!(
            d.case.decision_due,
            Some(date!(2027 - 01 - 08)),
            "Jan 1 is now a holiday"
        );
        assert!(!d.case.due_provisional);
        assert!(!d.parts[0].due_provisional);
    })
    .await;
}

#[tokio::test]
async fn deemed_acceptance_only_after_the_limit_and_dates_from_receipt() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let o = officer(&*s, &clock, "officer").await;
        let me = CaseActor::Applicant(a.id);
        let case = s
            .open_case(
                &clock.ctx(),
                &new_case(
                    &[("420111-SCJGJ-XK-002", "S01")],
                    a.id,
                    IntakeChannel::Online,
                    date!(2026 - 11 - 30),
                ),
            )
            .await
            .unwrap();
        provide_all(&*s, &clock, &case, me).await;
        let case = act(
            &*s,
            &clock,
            &case,
            me,
            date!(2026 - 11 - 30),
            CaseCommand::Submit,
        )
        .await
        .unwrap();
        assert_eq!(case.accept_due, Some(date!(2026 - 12 - 07)));
        assert_conflict(
            act(
                &*s,
                &clock,
                &case,
                CaseActor::System,
                date!(2026 - 12 - 07),
                CaseCommand::DeemAccept,
            )
            .await,
        );
        assert!(
            s.cases_past_acceptance(date!(2026 - 12 - 07))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            s.cases_past_acceptance(date!(2026 - 12 - 08))
                .await
                .unwrap(),
            vec![case.id]
        );
        // Staff may no longer refuse or ask for corrections after the limit.
        assert_conflict(
            act(
                &*s,
                &clock,
                &case,
                CaseActor::Staff(o.id),
                date!(2026 - 12 - 08),
                CaseCommand::Refuse {
                    reasons: "x".into(),
                    redirect: String::new(),
                },
            )
            .await,
        );
        // A person cannot deem; the system can.
        let r = act(
            &*s,
            &clock,
            &case,
            CaseActor::Staff(o.id),
            date!(2026 - 12 - 08),
            CaseCommand::DeemAccept,
        )
        .await;
        assert!(matches!(r, Err(StoreError::Forbidden(_))));
        let case = act(
            &*s,
            &clock,
            &case,
            CaseActor::System,
            date!(2026 - 12 - 08),
            CaseCommand::DeemAccept,
        )
        .await
        .unwrap();
        assert_eq!(case.status, CaseStatus::UnderReview);
        assert_eq!(case.acceptance, Some(AcceptanceKind::Deemed));
        assert_eq!(
            case.accepted_on,
            Some(date!(2026 - 11 - 30)),
            "accepted as of receipt"
        );
        let inbox = s
            .inbox(&InboxFilter {
                departments: vec!["420111-SCJGJ".into()],
                limit: 10,
                ..InboxFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(inbox.len(), 1);
        assert_eq!(inbox[0].part.status, PartStatus::Open);
    })
    .await;
}

#[tokio::test]
async fn corrections_change_only_what_was_flagged() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let o = officer(&*s, &clock, "officer").await;
        let me = CaseActor::Applicant(a.id);
        let today = date!(2026 - 12 - 01);
        let case = s
            .open_case(
                &clock.ctx(),
                &new_case(
                    &[("420111-SCJGJ-XK-002", "S01")],
                    a.id,
                    IntakeChannel::Online,
                    today,
                ),
            )
            .await
            .unwrap();
        provide_all(&*s, &clock, &case, me).await;
        let case = act(&*s, &clock, &case, me, today, CaseCommand::Submit)
            .await
            .unwrap();
        let (k1, k2) = (case.checklist[0].key.clone(), case.checklist[1].key.clone());
        let bad = act(
            &*s,
            &clock,
            &case,
            CaseActor::Staff(o.id),
            today,
            correction("m99"),
        )
        .await;
        assert!(invalid_fields(bad).contains("items[0].target"));
        let case = act(
            &*s,
            &clock,
            &case,
            CaseActor::Staff(o.id),
            today,
            correction(&k1),
        )
        .await
        .unwrap();
        assert_eq!(case.status, CaseStatus::CorrectionRequested);
        // An unflagged material cannot be replaced.
        assert_conflict(provide(&*s, &clock, &case, me, &k2).await);
        // Resubmitting without the flagged material, or with an unflagged field changed, is refused.
        let mut changed = case.form.clone();
        changed.contact_name = "李四".into();
        let r = act(
            &*s,
            &clock,
            &case,
            me,
            today,
            CaseCommand::Resubmit { form: changed },
        )
        .await;
        let fields = invalid_fields(r);
        assert!(
            fields.contains("form.contact_name") && fields.contains(&format!("materials.{k1}")),
            "{fields:?}"
        );
        provide(&*s, &clock, &case, me, &k1).await.unwrap();
        let case = act(
            &*s,
            &clock,
            &case,
            me,
            today,
            CaseCommand::Resubmit {
                form: case.form.clone(),
            },
        )
        .await
        .unwrap();
        assert_eq!(case.status, CaseStatus::Submitted);
        let d = s.case_detail(case.id).await.unwrap().unwrap();
        assert_eq!(
            d.form_versions.len(),
            1,
            "an unchanged form is not a new version"
        );
        // Pre-review refuses while a needed material is missing.
        let mut other = new_case(
            &[("420111-SCJGJ-XK-002", "S01")],
            a.id,
            IntakeChannel::Online,
            today,
        );
        other.status_nonce = "other".into();
        let other = s.open_case(&clock.ctx(), &other).await.unwrap();
        let other = act(&*s, &clock, &other, me, today, CaseCommand::Submit)
            .await
            .unwrap();
        let r = act(
            &*s,
            &clock,
            &other,
            CaseActor::Staff(o.id),
            today,
            CaseCommand::PassPreReview,
        )
        .await;
        assert!(invalid_fields(r).contains(&format!("materials.{k1}")));
    })
    .await;
}

#[tokio::test]
async fn a_bundle_is_decided_when_every_part_is_decided() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let o = officer(&*s, &clock, "officer").await;
        let me = CaseActor::Applicant(a.id);
        let staff = CaseActor::Staff(o.id);
        let today = date!(2026 - 12 - 01);
        let new = new_case(
            &[
                ("420111-SCJGJ-XK-001", "S01"),
                ("420111-SCJGJ-XK-002", "S01"),
            ],
            a.id,
            IntakeChannel::Online,
            today,
        );
        // 营业执照 is produced by the first item, so it is not asked of the applicant.
        assert!(
            new.checklist
                .iter()
                .any(|e| e.produced_by.as_deref() == Some("420111-SCJGJ-XK-001"))
        );
        let case = s.open_case(&clock.ctx(), &new).await.unwrap();
        provide_all(&*s, &clock, &case, me).await;
        let case = act(&*s, &clock, &case, me, today, CaseCommand::Submit)
            .await
            .unwrap();
        let case = act(&*s, &clock, &case, staff, today, CaseCommand::PassPreReview)
            .await
            .unwrap();
        let case = act(&*s, &clock, &case, staff, today, CaseCommand::Accept)
            .await
            .unwrap();
        let case = act(
            &*s,
            &clock,
            &case,
            staff,
            today,
            CaseCommand::Approve {
                part: 2,
                opinion: "同意".into(),
                valid_until: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(case.status, CaseStatus::UnderReview, "one part still open");
        let case = act(
            &*s,
            &clock,
            &case,
            staff,
            today,
            CaseCommand::Deny {
                part: 1,
                reasons: "经营场所不符合要求".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(case.status, CaseStatus::Decided);
        let case = act(&*s, &clock, &case, staff, today, CaseCommand::IssueResult)
            .await
            .unwrap();
        let d = s.case_detail(case.id).await.unwrap().unwrap();
        assert_eq!(
            d.certificates.len(),
            1,
            "only the approved part gets a certificate"
        );
        assert_eq!(d.case.status, CaseStatus::ResultIssued);
    })
    .await;
}

#[tokio::test]
async fn escalation_happens_once_per_threshold_even_when_racing() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Arc::new(Clock::new());
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let o = officer(&*s, &clock, "officer").await;
        let case = accepted(
            &*s,
            &clock,
            "420111-SCJGJ-XK-002",
            a.id,
            o.id,
            date!(2026 - 12 - 01),
        )
        .await;
        let tell = vec![NewNotification {
            channel: "in_app".into(),
            recipient: format!("staff:{}", o.id),
            subject: "预警".into(),
            body: "黄牌".into(),
        }];
        let mut handles = Vec::new();
        for _ in 0..4 {
            let (s, clock, tell) = (s.clone(), clock.clone(), tell.clone());
            handles.push(tokio::spawn(async move {
                s.record_warning(&clock.ctx(), case.id, 1, WarningLevel::Yellow, &tell)
                    .await
                    .unwrap()
            }));
        }
        let mut escalated = 0;
        for h in handles {
            escalated += usize::from(h.await.unwrap());
        }
        assert_eq!(escalated, 1);
        assert!(
            s.record_warning(&clock.ctx(), case.id, 1, WarningLevel::Red, &tell)
                .await
                .unwrap()
        );
        assert!(
            !s.record_warning(&clock.ctx(), case.id, 1, WarningLevel::Red, &tell)
                .await
                .unwrap()
        );
        let d = s.case_detail(case.id).await.unwrap().unwrap();
        assert_eq!(d.case.warning, WarningLevel::Red);
        let outbox = s.list_outbox(Some(case.id), 100).await.unwrap();
        assert_eq!(
            outbox
                .iter()
                .filter(|r| r.channel == "in_app" && r.recipient.starts_with("staff:"))
                .count(),
            2
        );
    })
    .await;
}

#[tokio::test]
async fn outbox_claims_do_not_overlap_and_in_app_messages_arrive_once() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        setup(&*s, &clock).await;
        let a = person(&*s, &clock, "420111199003151239", "王小明").await;
        let mut new = new_case(
            &[("420111-SCJGJ-XK-002", "S01")],
            a.id,
            IntakeChannel::Online,
            date!(2026 - 12 - 01),
        );
        new.notifications = (0..6)
            .map(|i| NewNotification {
                channel: "in_app".into(),
                recipient: format!("applicant:{}", a.id),
                subject: format!("消息 {i} {{case_no}}"),
                body: "正文".into(),
            })
            .collect();
        let case = s.open_case(&clock.ctx(), &new).await.unwrap();
        let now = clock.tick();
        let (x, y) = tokio::join!(
            s.claim_outbox("w1", now, 60_000_000, 4),
            s.claim_outbox("w2", now, 60_000_000, 4)
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.len() + y.len(), 6);
        let ids: BTreeSet<i64> = x.iter().chain(&y).map(|r| r.id).collect();
        assert_eq!(ids.len(), 6, "no row claimed twice");
        assert!(
            x[0].subject.contains(&case.case_no),
            "the number is filled in"
        );
        for r in &x {
            s.complete_outbox(&clock.ctx(), r.id, "w1", &DeliveryOutcome::Sent)
                .await
                .unwrap();
        }
        // Completing again, or by a worker without the claim, is refused.
        assert_conflict(
            s.complete_outbox(&clock.ctx(), x[0].id, "w1", &DeliveryOutcome::Sent)
                .await,
        );
        assert_conflict(
            s.complete_outbox(&clock.ctx(), y[0].id, "w1", &DeliveryOutcome::Sent)
                .await,
        );
        let retry_at = clock.tick() + 30_000_000;
        s.complete_outbox(
            &clock.ctx(),
            y[0].id,
            "w2",
            &DeliveryOutcome::Retry {
                error: "timeout".into(),
                next_attempt_at: retry_at,
            },
        )
        .await
        .unwrap();
        assert!(
            s.claim_outbox("w3", clock.tick(), 60_000_000, 10)
                .await
                .unwrap()
                .iter()
                .all(|r| r.id != y[0].id),
            "not before its retry time"
        );
        let later = s
            .claim_outbox("w3", retry_at + 1, 60_000_000, 10)
            .await
            .unwrap();
        assert!(later.iter().any(|r| r.id == y[0].id && r.attempts == 1));
        let messages = s.messages_for("applicant", a.id, 50).await.unwrap();
        assert_eq!(messages.len(), x.len());
    })
    .await;
}

#[tokio::test]
async fn a_lease_has_one_holder_until_it_expires() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        assert!(s.acquire_lease("deadlines", "a", 100, 200).await.unwrap());
        assert!(!s.acquire_lease("deadlines", "b", 150, 250).await.unwrap());
        assert!(
            s.acquire_lease("deadlines", "a", 150, 300).await.unwrap(),
            "renewed by its holder"
        );
        assert!(
            s.acquire_lease("deadlines", "b", 301, 400).await.unwrap(),
            "taken over after expiry"
        );
    })
    .await;
}

#[tokio::test]
async fn api_tokens_resolve_until_revoked_or_expired() {
    for_each_engine(|env| async move {
        let s = env.store.clone();
        let clock = Clock::new();
        let o = officer(&*s, &clock, "system_user").await;
        let t = s
            .create_api_token(&clock.ctx(), o.id, "审批系统", "h1", 1_000)
            .await
            .unwrap();
        assert_eq!(
            s.api_token("h1", 999).await.unwrap().map(|r| r.id),
            Some(t.id)
        );
        assert!(s.api_token("h1", 1_000).await.unwrap().is_none(), "expired");
        assert!(s.api_token("nope", 1).await.unwrap().is_none());
        s.revoke_api_token(&clock.ctx(), t.id).await.unwrap();
        assert!(s.api_token("h1", 1).await.unwrap().is_none());
        assert_eq!(s.api_tokens_of(o.id).await.unwrap().len(), 1);
    })
    .await;
}
