//! Service-hall fixtures shared by the backup tests.

use onetrip_domain::access::EmploymentType;
use onetrip_domain::catalogue::Module;
use onetrip_domain::hall::{
    Category, Priority, ProfileEntry, ProfileMode, QueueRules, TicketSource, WorkProfile,
};
use onetrip_store::{CallNext, HallKey, NewAppointment, NewCounter, NewSlot, NewTicket, Store};

use super::{Clock, new_staff};

/// Fills every hall table: a category, a window with a signed-in staff
/// member, tickets (one called), a slot and a booking for `applicant_id`.
pub async fn populate(s: &dyn Store, clock: &Clock, applicant_id: i64) {
    let hall = HallKey::new("420100-SMZJ", "F1");
    let category = Category {
        code: "D".into(),
        module: Module::SingleItems,
        name_zh: "社保医保".into(),
        name_en: "Social insurance".into(),
    };
    s.save_category(&clock.ctx(), &hall, &category, 0)
        .await
        .expect("category");
    let counter = s
        .save_counter(
            &clock.ctx(),
            &NewCounter {
                hall: hall.clone(),
                number: 1,
                name_zh: "综合窗口".into(),
                name_en: "Comprehensive window".into(),
                profile: WorkProfile {
                    mode: ProfileMode::Ordered,
                    entries: vec![ProfileEntry {
                        category: "D".into(),
                        weight: 1,
                    }],
                },
                active: true,
            },
        )
        .await
        .expect("counter");
    let staff = s
        .create_staff(
            &clock.ctx(),
            &new_staff("hall_window", EmploymentType::Contractor),
        )
        .await
        .expect("staff");
    s.sign_in_counter(&clock.ctx(), counter.id, staff.id)
        .await
        .expect("sign in");
    for n in 0..2 {
        let t = NewTicket {
            hall: hall.clone(),
            day: "2026-09-01".into(),
            category: "D".into(),
            priority: Priority::Ordinary,
            green_reason: None,
            source: TicketSource::Kiosk,
            applicant_id: Some(applicant_id),
            phone: Some("13912345678".into()),
            token: format!("backup-ticket-{n}"),
            serve_at: None,
        };
        s.issue_ticket(&clock.ctx(), &t).await.expect("ticket");
    }
    let call = CallNext {
        counter_id: counter.id,
        staff_id: staff.id,
        day: "2026-09-01".into(),
        rules: QueueRules::default(),
    };
    s.call_next(&clock.ctx(), &call)
        .await
        .expect("call")
        .expect("a ticket");
    let starts = clock.now() + 86_400_000_000;
    s.create_slots(
        &clock.ctx(),
        &[NewSlot {
            hall: hall.clone(),
            category: "D".into(),
            day: "2026-09-02".into(),
            start_minute: 540,
            end_minute: 570,
            starts_at: starts,
            ends_at: starts + 1_800_000_000,
            capacity: 4,
        }],
    )
    .await
    .expect("slots");
    let slot = s
        .slots(&hall, None, "2026-09-02", "2026-09-02")
        .await
        .expect("slots")[0]
        .id;
    s.book_appointment(
        &clock.ctx(),
        &NewAppointment {
            slot_id: slot,
            applicant_id,
            code: "20260902".into(),
            now: clock.now(),
        },
    )
    .await
    .expect("booking");
}
