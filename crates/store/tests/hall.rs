//! Service-hall conformance: numbering, calling, window rules and
//! appointments behave the same on every engine, including under
//! concurrency.

// Test code: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::cases::{person, setup};
use common::{Clock, assert_conflict, for_each_engine, invalid_fields, new_staff, verified_chain};
use onetrip_domain::access::EmploymentType;
use onetrip_domain::catalogue::Module;
use onetrip_domain::hall::{
    AppointmentStatus, Category, Outcome, Priority, ProfileEntry, ProfileMode, QueueRules,
    TicketSource, TicketStatus, WorkProfile,
};
use onetrip_store::{
    CallNext, CounterRecord, HallKey, NewAppointment, NewCounter, NewNotification, NewSlot,
    NewTicket, Store, TicketAction, TicketRecord,
};

const DAY: &str = "2026-01-01";
const MIN: i64 = 60_000_000;

fn hall() -> HallKey {
    HallKey::new("420100-SMZJ", "F1")
}

fn profile(mode: ProfileMode, cats: &[&str]) -> WorkProfile {
    WorkProfile {
        mode,
        entries: cats
            .iter()
            .map(|c| ProfileEntry {
                category: (*c).to_owned(),
                weight: 1,
            })
            .collect(),
    }
}

fn ticket(category: &str, priority: Priority, n: usize) -> NewTicket {
    NewTicket {
        hall: hall(),
        day: DAY.to_owned(),
        category: category.to_owned(),
        priority,
        green_reason: None,
        source: TicketSource::Kiosk,
        applicant_id: None,
        phone: Some("13800001111".to_owned()),
        token: format!("tok-{category}-{n}-{}", priority.as_str()),
        serve_at: None,
    }
}

/// The demo catalogue, categories A and D, and `windows` windows serving
/// both, each with a signed-in staff member. Returns `(counter, staff id)`.
async fn hall_with_windows(
    s: &dyn Store,
    clock: &Clock,
    windows: i64,
) -> Vec<(CounterRecord, i64)> {
    setup(s, clock).await;
    for (i, (code, zh)) in [("A", "商事登记"), ("D", "社保医保")].iter().enumerate() {
        let c = Category {
            code: (*code).to_owned(),
            module: Module::SingleItems,
            name_zh: (*zh).to_owned(),
            name_en: "x".to_owned(),
        };
        s.save_category(&clock.ctx(), &hall(), &c, i as i64)
            .await
            .unwrap();
    }
    let mut out = Vec::new();
    for n in 1..=windows {
        let c = s
            .save_counter(
                &clock.ctx(),
                &NewCounter {
                    hall: hall(),
                    number: n,
                    name_zh: format!("{n} 号窗口"),
                    name_en: format!("Window {n}"),
                    profile: profile(ProfileMode::Weighted, &["A", "D"]),
                    active: true,
                },
            )
            .await
            .unwrap();
        let staff = s
            .create_staff(
                &clock.ctx(),
                &new_staff(&format!("window{n}"), EmploymentType::Contractor),
            )
            .await
            .unwrap();
        let c = s
            .sign_in_counter(&clock.ctx(), c.id, staff.id)
            .await
            .unwrap();
        out.push((c, staff.id));
    }
    out
}

fn call(counter: &CounterRecord, staff: i64) -> CallNext {
    CallNext {
        counter_id: counter.id,
        staff_id: staff,
        day: DAY.to_owned(),
        rules: QueueRules::default(),
    }
}

#[tokio::test]
async fn ticket_numbers_are_unique_and_gap_free_per_category_and_day_under_concurrency() {
    for_each_engine(|env| async move {
        let clock = Arc::new(Clock::new());
        hall_with_windows(env.store.as_ref(), &clock, 1).await;
        let mut tasks = Vec::new();
        for n in 0..40 {
            let (s, clock) = (Arc::clone(&env.store), Arc::clone(&clock));
            tasks.push(tokio::spawn(async move {
                let cat = if n % 2 == 0 { "A" } else { "D" };
                s.issue_ticket(&clock.ctx(), &ticket(cat, Priority::Ordinary, n))
                    .await
                    .unwrap()
            }));
        }
        let mut numbers = BTreeSet::new();
        for t in tasks {
            numbers.insert(t.await.unwrap().number);
        }
        let expected: BTreeSet<String> = (1..=20)
            .flat_map(|i| [format!("A{i:03}"), format!("D{i:03}")])
            .collect();
        assert_eq!(numbers, expected);
        // The next day starts again at 001.
        let mut next = ticket("A", Priority::Ordinary, 99);
        next.day = "2026-01-02".into();
        let t = env.store.issue_ticket(&clock.ctx(), &next).await.unwrap();
        assert_eq!(t.number, "A001");
        // Unknown category: invalid, nothing issued.
        let bad = env
            .store
            .issue_ticket(&clock.ctx(), &ticket("Z", Priority::Ordinary, 1))
            .await;
        assert!(invalid_fields(bad).contains("category"));
        let events = env.store.hall_events_after(&hall(), 0, 1000).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.kind == "issued").count(), 41);
        verified_chain(env.store.as_ref()).await;
    })
    .await;
}

#[tokio::test]
async fn windows_calling_concurrently_never_call_one_ticket_twice() {
    for_each_engine(|env| async move {
        let clock = Arc::new(Clock::new());
        let windows = hall_with_windows(env.store.as_ref(), &clock, 6).await;
        for n in 0..30 {
            let cat = if n % 3 == 0 { "A" } else { "D" };
            env.store
                .issue_ticket(&clock.ctx(), &ticket(cat, Priority::Ordinary, n))
                .await
                .unwrap();
        }
        let mut tasks = Vec::new();
        for (counter, staff) in windows {
            let (s, clock) = (Arc::clone(&env.store), Arc::clone(&clock));
            tasks.push(tokio::spawn(async move {
                let mut served = Vec::new();
                while let Some(t) = s
                    .call_next(&clock.ctx(), &call(&counter, staff))
                    .await
                    .unwrap()
                {
                    assert_eq!(t.counter_id, Some(counter.id));
                    let done = s
                        .ticket_action(
                            &clock.ctx(),
                            t.id,
                            staff,
                            &TicketAction::Finish {
                                outcome: Outcome::Completed,
                                case_id: None,
                            },
                        )
                        .await
                        .unwrap();
                    served.push(done.id);
                }
                served
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        let unique: BTreeSet<i64> = all.iter().copied().collect();
        assert_eq!(all.len(), 30, "each ticket served once");
        assert_eq!(unique.len(), 30);
        let left = env
            .store
            .hall_tickets(&hall(), DAY, &[TicketStatus::Waiting])
            .await
            .unwrap();
        assert!(left.is_empty());
        let calls = env.store.hall_events_after(&hall(), 0, 1000).await.unwrap();
        assert_eq!(calls.iter().filter(|e| e.kind == "called").count(), 30);
        verified_chain(env.store.as_ref()).await;
    })
    .await;
}

#[tokio::test]
async fn window_rules_sign_in_actions_transfers_and_priorities() {
    for_each_engine(|env| async move {
        let s = env.store.as_ref();
        let clock = Clock::new();
        let w = hall_with_windows(s, &clock, 2).await;
        let ((w1, s1), (w2, s2)) = (w[0].clone(), w[1].clone());
        // A window has one person; a person moving windows leaves the old one.
        assert_conflict(s.sign_in_counter(&clock.ctx(), w1.id, s2).await);
        // Nobody waits: no call.
        assert!(
            s.call_next(&clock.ctx(), &call(&w1, s1))
                .await
                .unwrap()
                .is_none()
        );
        let a1 = s
            .issue_ticket(&clock.ctx(), &ticket("A", Priority::Ordinary, 1))
            .await
            .unwrap();
        clock.advance(10 * MIN);
        let green = s
            .issue_ticket(&clock.ctx(), &ticket("A", Priority::Green, 2))
            .await
            .unwrap();
        // The green channel's head start puts it first.
        let first = s
            .call_next(&clock.ctx(), &call(&w1, s1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.id, green.id);
        // A window with an open ticket cannot call again, sign out or move.
        assert_conflict(s.call_next(&clock.ctx(), &call(&w1, s1)).await);
        assert_conflict(s.sign_out_counter(&clock.ctx(), s1).await);
        assert_conflict(s.sign_in_counter(&clock.ctx(), w2.id, s1).await);
        // Another window's staff cannot act on it.
        assert_conflict(
            s.ticket_action(&clock.ctx(), green.id, s2, &TicketAction::Start)
                .await,
        );
        let t = s
            .ticket_action(&clock.ctx(), green.id, s1, &TicketAction::Recall)
            .await
            .unwrap();
        assert_eq!(t.recalls, 1);
        let t = s
            .ticket_action(&clock.ctx(), green.id, s1, &TicketAction::Start)
            .await
            .unwrap();
        assert_eq!(t.status, TicketStatus::Serving);
        // Recall needs a called ticket: 409.
        assert_conflict(
            s.ticket_action(&clock.ctx(), green.id, s1, &TicketAction::Recall)
                .await,
        );
        // Park, serve the next, resume only when free.
        s.ticket_action(&clock.ctx(), green.id, s1, &TicketAction::Park)
            .await
            .unwrap();
        let next = s
            .call_next(&clock.ctx(), &call(&w1, s1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(next.id, a1.id);
        assert_conflict(
            s.ticket_action(&clock.ctx(), green.id, s1, &TicketAction::Resume)
                .await,
        );
        // Transfer a1 to category D, keeping its waiting start.
        let moved = s
            .ticket_action(
                &clock.ctx(),
                a1.id,
                s1,
                &TicketAction::TransferToCategory("D".into()),
            )
            .await
            .unwrap();
        assert_eq!(
            (moved.status, moved.category.as_str()),
            (TicketStatus::Waiting, "D")
        );
        assert_eq!(moved.queued_at, a1.queued_at);
        let t = s
            .ticket_action(&clock.ctx(), green.id, s1, &TicketAction::Resume)
            .await
            .unwrap();
        assert_eq!(t.status, TicketStatus::Serving);
        // An unknown case is refused and changes nothing.
        let bad = s
            .ticket_action(
                &clock.ctx(),
                green.id,
                s1,
                &TicketAction::Finish {
                    outcome: Outcome::Received,
                    case_id: Some(999_999),
                },
            )
            .await;
        assert!(invalid_fields(bad).contains("case_id"));
        s.ticket_action(
            &clock.ctx(),
            green.id,
            s1,
            &TicketAction::Finish {
                outcome: Outcome::Completed,
                case_id: None,
            },
        )
        .await
        .unwrap();
        // Window 2 takes the transferred ticket and sends it to window 1 only.
        let t = s
            .call_next(&clock.ctx(), &call(&w2, s2))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(t.id, a1.id);
        s.ticket_action(
            &clock.ctx(),
            a1.id,
            s2,
            &TicketAction::TransferToCounter(w1.id),
        )
        .await
        .unwrap();
        let d2 = s
            .issue_ticket(&clock.ctx(), &ticket("D", Priority::Ordinary, 3))
            .await
            .unwrap();
        let t = s
            .call_next(&clock.ctx(), &call(&w2, s2))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            t.id, d2.id,
            "window 2 never calls a ticket sent to window 1"
        );
        let t = s
            .call_next(&clock.ctx(), &call(&w1, s1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((t.id, t.transfers), (a1.id, 2));
        let t = s
            .ticket_action(&clock.ctx(), a1.id, s1, &TicketAction::NoShow)
            .await
            .unwrap();
        assert_eq!(t.status, TicketStatus::NoShow);
        // A walk-in is served at once at the window.
        let mut walk = ticket("A", Priority::Ordinary, 9);
        walk.source = TicketSource::WalkIn;
        walk.serve_at = Some(onetrip_store::WalkIn {
            counter_id: w1.id,
            staff_id: s1,
        });
        let t = s.issue_ticket(&clock.ctx(), &walk).await.unwrap();
        assert_eq!(
            (t.status, t.counter_id),
            (TicketStatus::Serving, Some(w1.id))
        );
        verified_chain(s).await;
    })
    .await;
}

#[tokio::test]
async fn ordinary_tickets_are_not_starved_by_priority_ones() {
    for_each_engine(|env| async move {
        let s = env.store.as_ref();
        let clock = Clock::new();
        let w = hall_with_windows(s, &clock, 1).await;
        let (w1, s1) = w[0].clone();
        let ordinary = s
            .issue_ticket(&clock.ctx(), &ticket("A", Priority::Ordinary, 0))
            .await
            .unwrap();
        for n in 1..=5 {
            s.issue_ticket(&clock.ctx(), &ticket("A", Priority::Green, n))
                .await
                .unwrap();
        }
        let mut order: Vec<TicketRecord> = Vec::new();
        while let Some(t) = s.call_next(&clock.ctx(), &call(&w1, s1)).await.unwrap() {
            s.ticket_action(
                &clock.ctx(),
                t.id,
                s1,
                &TicketAction::Finish {
                    outcome: Outcome::Consulted,
                    case_id: None,
                },
            )
            .await
            .unwrap();
            order.push(t);
        }
        let position = order.iter().position(|t| t.id == ordinary.id).unwrap();
        assert_eq!(
            position, 3,
            "after three priority calls the ordinary ticket goes"
        );
    })
    .await;
}

fn slot(day: &str, start: i64, starts_at: i64, capacity: i64) -> NewSlot {
    NewSlot {
        hall: hall(),
        category: "D".into(),
        day: day.into(),
        start_minute: start,
        end_minute: start + 30,
        starts_at,
        ends_at: starts_at + 30 * MIN,
        capacity,
    }
}

fn resident_id(n: u32) -> String {
    let body = format!("42011119900101{n:03}");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

#[tokio::test]
async fn slots_are_never_booked_beyond_capacity_and_bookings_follow_the_rules() {
    for_each_engine(|env| async move {
        let clock = Arc::new(Clock::new());
        hall_with_windows(env.store.as_ref(), &clock, 1).await;
        let s = env.store.as_ref();
        let at = clock.now() + 24 * 60 * MIN;
        s.create_slots(
            &clock.ctx(),
            &[
                slot("2026-01-02", 540, at, 3),
                slot("2026-01-02", 570, at + 30 * MIN, 1),
            ],
        )
        .await
        .unwrap();
        let slots = s
            .slots(&hall(), Some("D"), "2026-01-02", "2026-01-02")
            .await
            .unwrap();
        let (first, second) = (slots[0].clone(), slots[1].clone());
        let mut applicants = Vec::new();
        for n in 0..10 {
            applicants.push(person(s, &clock, &resident_id(n), "测试").await.id);
        }
        let mut tasks = Vec::new();
        for (n, applicant) in applicants.iter().copied().enumerate() {
            let (st, clock) = (Arc::clone(&env.store), Arc::clone(&clock));
            let slot_id = first.id;
            tasks.push(tokio::spawn(async move {
                st.book_appointment(
                    &clock.ctx(),
                    &NewAppointment {
                        slot_id,
                        applicant_id: applicant,
                        code: format!("{n:08}"),
                        now: clock.now(),
                    },
                )
                .await
            }));
        }
        let mut booked = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(a) => booked.push(a),
                Err(onetrip_store::StoreError::Conflict(_)) => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(booked.len(), 3);
        assert_eq!(s.slot(first.id).await.unwrap().unwrap().booked, 3);
        let a = booked[0].clone();
        // One booking per category and day.
        assert_conflict(
            s.book_appointment(
                &clock.ctx(),
                &NewAppointment {
                    slot_id: second.id,
                    applicant_id: a.applicant_id,
                    code: "90000001".into(),
                    now: clock.now(),
                },
            )
            .await,
        );
        // Reschedule to the one-place slot, then nobody else fits there;
        // rescheduling into a full slot keeps the old booking.
        let moved = s
            .reschedule_appointment(
                &clock.ctx(),
                a.id,
                a.applicant_id,
                &NewAppointment {
                    slot_id: second.id,
                    applicant_id: a.applicant_id,
                    code: "90000002".into(),
                    now: clock.now(),
                },
            )
            .await
            .unwrap();
        assert_eq!(moved.slot.id, second.id);
        let b = booked[1].clone();
        assert_conflict(
            s.reschedule_appointment(
                &clock.ctx(),
                b.id,
                b.applicant_id,
                &NewAppointment {
                    slot_id: second.id,
                    applicant_id: b.applicant_id,
                    code: "90000003".into(),
                    now: clock.now(),
                },
            )
            .await,
        );
        assert_eq!(
            s.appointment(b.id).await.unwrap().unwrap().status,
            AppointmentStatus::Booked
        );
        assert_eq!(s.slot(first.id).await.unwrap().unwrap().booked, 2);
        // Cancel frees the place.
        s.cancel_appointment(&clock.ctx(), b.id, b.applicant_id)
            .await
            .unwrap();
        assert_eq!(s.slot(first.id).await.unwrap().unwrap().booked, 1);
        assert_conflict(
            s.cancel_appointment(&clock.ctx(), b.id, b.applicant_id)
                .await,
        );
        // Check-in: too early is refused; on time gives appointment priority.
        let mut template = ticket("D", Priority::Appointment, 50);
        let early = s
            .check_in_appointment(&clock.ctx(), &moved.code, &template)
            .await;
        assert!(invalid_fields(early).contains("code"));
        clock.advance(24 * 60 * MIN + 20 * MIN);
        template.token = "tok-checkin".into();
        let (checked, t) = s
            .check_in_appointment(&clock.ctx(), &moved.code, &template)
            .await
            .unwrap();
        assert_eq!(checked.status, AppointmentStatus::CheckedIn);
        assert_eq!(
            (t.priority, t.appointment_id),
            (Priority::Appointment, Some(moved.id))
        );
        assert_conflict(
            s.check_in_appointment(&clock.ctx(), &moved.code, &template)
                .await,
        );
        verified_chain(s).await;
    })
    .await;
}

#[tokio::test]
async fn reminders_go_once_and_repeated_no_shows_close_booking() {
    for_each_engine(|env| async move {
        let s = env.store.as_ref();
        let clock = Clock::new();
        hall_with_windows(s, &clock, 1).await;
        let applicant = person(s, &clock, &resident_id(77), "爽约者").await.id;
        let base = clock.now() + 60 * MIN;
        let days = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"];
        let slots: Vec<NewSlot> = days
            .iter()
            .enumerate()
            .map(|(i, d)| slot(d, 540, base + i as i64 * 24 * 60 * MIN, 5))
            .collect();
        s.create_slots(&clock.ctx(), &slots).await.unwrap();
        let all = s.slots(&hall(), None, days[0], days[3]).await.unwrap();
        let first = s
            .book_appointment(
                &clock.ctx(),
                &NewAppointment {
                    slot_id: all[0].id,
                    applicant_id: applicant,
                    code: "10000000".into(),
                    now: clock.now(),
                },
            )
            .await
            .unwrap();
        // The reminder is due once and queued once.
        let due = s.reminders_due(clock.now() + 24 * 60 * MIN).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].phone.as_deref(), Some("13912345678"));
        let note = NewNotification {
            channel: "sms".into(),
            recipient: "13912345678".into(),
            subject: "提醒".into(),
            body: "预约提醒".into(),
        };
        assert!(
            s.mark_reminded(&clock.ctx(), first.id, std::slice::from_ref(&note))
                .await
                .unwrap()
        );
        assert!(
            !s.mark_reminded(&clock.ctx(), first.id, &[note])
                .await
                .unwrap()
        );
        assert!(
            s.reminders_due(clock.now() + 24 * 60 * MIN)
                .await
                .unwrap()
                .is_empty()
        );
        // Miss three appointments in a row.
        for (i, sl) in all.iter().take(3).enumerate() {
            if i > 0 {
                s.book_appointment(
                    &clock.ctx(),
                    &NewAppointment {
                        slot_id: sl.id,
                        applicant_id: applicant,
                        code: format!("1000000{i}"),
                        now: clock.now(),
                    },
                )
                .await
                .unwrap();
            }
        }
        clock.advance(3 * 24 * 60 * MIN);
        assert_eq!(
            s.mark_appointment_no_shows(&clock.ctx(), clock.now())
                .await
                .unwrap(),
            3
        );
        let blocked = s
            .book_appointment(
                &clock.ctx(),
                &NewAppointment {
                    slot_id: all[3].id,
                    applicant_id: applicant,
                    code: "10000009".into(),
                    now: clock.now(),
                },
            )
            .await;
        assert!(invalid_fields(blocked).contains("applicant"));
        assert_eq!(s.no_shows_since(applicant, 0).await.unwrap().len(), 3);
    })
    .await;
}

#[tokio::test]
async fn closing_a_day_records_tickets_left_waiting_as_abandoned() {
    for_each_engine(|env| async move {
        let s = env.store.as_ref();
        let clock = Clock::new();
        hall_with_windows(s, &clock, 1).await;
        for n in 0..3 {
            s.issue_ticket(&clock.ctx(), &ticket("D", Priority::Ordinary, n))
                .await
                .unwrap();
        }
        let closed = s.close_hall_day(&clock.ctx(), &hall(), DAY).await.unwrap();
        assert_eq!(closed.abandoned, 3);
        let again = s.close_hall_day(&clock.ctx(), &hall(), DAY).await.unwrap();
        assert_eq!(again.abandoned, 0);
        let left = s
            .hall_tickets(&hall(), DAY, &[TicketStatus::Abandoned])
            .await
            .unwrap();
        assert_eq!(left.len(), 3);
    })
    .await;
}
