//! The hall's background round: appointment reminders, missed
//! appointments, and closing the day (tickets still open after hours are
//! recorded as abandoned, so statistics count them).

use onetrip_store::NewNotification;
use serde::Serialize;

use super::{MINUTE_MICROS, beijing_day, beijing_minute};
use crate::App;
use crate::error::AppResult;

/// The hall closes its day after 17:30 Beijing time.
const DAY_CLOSE_MINUTE: i64 = 17 * 60 + 30;

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct HallRound {
    /// Reminders queued.
    pub reminders: i64,
    /// Appointments marked missed.
    pub missed: i64,
    /// Tickets closed as abandoned.
    pub abandoned: i64,
}

impl App {
    /// Runs one round of the hall jobs. Safe to run on several instances
    /// at once: every step is a conditional update done once.
    pub async fn run_hall_jobs(&self) -> AppResult<HallRound> {
        let now = self.now();
        let ctx = self.ctx("system");
        let mut round = HallRound::default();
        let horizon = now + self.config.hall.reminder_hours * 60 * MINUTE_MICROS;
        for due in self.store.reminders_due(horizon).await? {
            let a = &due.appointment;
            if a.slot.ends_at <= now {
                continue;
            }
            let when = format!(
                "{} {:02}:{:02}–{:02}:{:02}",
                a.slot.day,
                a.slot.start_minute / 60,
                a.slot.start_minute % 60,
                a.slot.end_minute / 60,
                a.slot.end_minute % 60
            );
            let subject = format!("预约提醒 {when} / appointment reminder {when}");
            let body = format!(
                "您预约了 {when} 到大厅办理业务，预约码 {}。请在时段开始前 30 分钟内到自助机签到取号。\n\nYou have an appointment at {when}; booking code {}. Check in at the kiosk up to 30 minutes before the slot.",
                a.code, a.code
            );
            let mut notifications = vec![NewNotification {
                channel: "in_app".to_owned(),
                recipient: format!("applicant:{}", a.applicant_id),
                subject: subject.clone(),
                body: body.clone(),
            }];
            if let Some(phone) = &due.phone {
                notifications.push(NewNotification {
                    channel: "sms".to_owned(),
                    recipient: phone.clone(),
                    subject: subject.clone(),
                    body: format!("您预约了 {when} 办理业务，预约码 {}，请提前签到。", a.code),
                });
            }
            if let Some(email) = &due.email {
                notifications.push(NewNotification {
                    channel: "email".to_owned(),
                    recipient: email.clone(),
                    subject,
                    body,
                });
            }
            if self.store.mark_reminded(&ctx, a.id, &notifications).await? {
                round.reminders += 1;
            }
        }
        round.missed = self.store.mark_appointment_no_shows(&ctx, now).await?;
        let yesterday = beijing_day(now - 24 * 60 * MINUTE_MICROS);
        let today = beijing_day(now);
        for place in self.queue_halls().await? {
            let key = place.key();
            let mut days = vec![yesterday.clone()];
            if beijing_minute(now) >= DAY_CLOSE_MINUTE {
                days.push(today.clone());
            }
            for day in days {
                let closed = self.store.close_hall_day(&ctx, &key, &day).await?;
                round.abandoned += closed.abandoned;
                round.missed += closed.no_shows;
                if closed.abandoned > 0 {
                    self.hall_feed.wake(&key);
                }
            }
        }
        Ok(round)
    }
}
