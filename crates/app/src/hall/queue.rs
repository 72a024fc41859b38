//! Tickets and windows: issuing at the kiosk or reception, signing in at a
//! window, calling, serving and the holder's position.

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::Permission;
use onetrip_domain::hall::{
    GreenReason, Priority, TicketSource, TicketStatus, position_in_category,
};
use onetrip_store::{
    ApplicantRecord, CallNext, CounterRecord, HallKey, NewCounter, NewNotification, NewTicket,
    TicketAction, TicketRecord, WalkIn,
};
use serde::Serialize;

use super::{MINUTE_MICROS, beijing_day};
use crate::App;
use crate::auth::{Principal, random_token};
use crate::error::{AppError, AppResult};

/// What reception asks for when issuing a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRequest {
    /// Category code.
    pub category: String,
    /// Priority class (appointments come only from check-in).
    pub priority: Priority,
    /// Required for the green channel.
    pub green_reason: Option<GreenReason>,
    /// Mobile number for the "your turn is near" SMS.
    pub phone: Option<String>,
}

/// Where a waiting ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TicketPosition {
    /// Tickets of the category before this one.
    pub ahead: i64,
    /// Windows signed in that call the category.
    pub windows: i64,
    /// Estimated minutes until called.
    pub estimated_minutes: i64,
}

/// Checks an optional mainland mobile number (11 digits starting with 1).
pub fn parse_phone(phone: Option<&str>) -> Result<Option<String>, ValidationErrors> {
    let Some(p) = phone.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let ok = p.len() == 11 && p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(Some(p.to_owned()))
    } else {
        Err(ValidationErrors::single(
            "phone",
            "invalid_phone",
            "手机号应为 11 位数字 / the mobile number must have 11 digits",
        ))
    }
}

impl App {
    fn new_ticket(
        &self,
        hall: &HallKey,
        category: &str,
        priority: Priority,
        source: TicketSource,
    ) -> AppResult<NewTicket> {
        Ok(NewTicket {
            hall: hall.clone(),
            day: beijing_day(self.now()),
            category: category.to_owned(),
            priority,
            green_reason: None,
            source,
            applicant_id: None,
            phone: None,
            token: random_token()?,
            serve_at: None,
        })
    }

    /// Takes an ordinary ticket at the kiosk (no sign-in needed; a
    /// signed-in applicant's ticket is linked to them).
    pub async fn take_ticket_at_kiosk(
        &self,
        hall: &HallKey,
        category: &str,
        phone: Option<&str>,
        applicant: Option<&ApplicantRecord>,
    ) -> AppResult<TicketRecord> {
        self.hall_place(hall).await?;
        let phone = parse_phone(phone)?;
        let mut new = self.new_ticket(hall, category, Priority::Ordinary, TicketSource::Kiosk)?;
        new.phone = phone.or_else(|| applicant.map(|a| a.mobile.clone()));
        new.applicant_id = applicant.map(|a| a.id);
        let actor = applicant.map_or_else(|| "kiosk".to_owned(), |a| format!("applicant:{}", a.id));
        let ticket = self.store.issue_ticket(&self.ctx(&actor), &new).await?;
        self.hall_feed.wake(hall);
        Ok(ticket)
    }

    /// Issues a ticket at the reception desk, where staff may put the
    /// holder in the green channel (the reason is required and recorded).
    pub async fn issue_ticket_at_reception(
        &self,
        who: &Principal,
        hall: &HallKey,
        request: &TicketRequest,
    ) -> AppResult<TicketRecord> {
        let staff = who.staff()?;
        self.authorize_hall(staff, Permission::QueueOperate, hall)
            .await?;
        let mut errors = ValidationErrors::default();
        let phone = errors
            .check("phone", parse_phone(request.phone.as_deref()))
            .flatten();
        match (request.priority, request.green_reason) {
            (Priority::Green, None) => errors.push(
                "green_reason",
                "required",
                "绿色通道需注明原因 / the green channel needs a reason",
            ),
            (Priority::Appointment, _) => errors.push(
                "priority",
                "appointment_by_check_in",
                "预约号只能通过预约签到取得 / appointment tickets come from check-in",
            ),
            _ => {}
        }
        errors.finish(())?;
        let mut new = self.new_ticket(
            hall,
            &request.category,
            request.priority,
            TicketSource::Reception,
        )?;
        new.green_reason = request
            .green_reason
            .filter(|_| request.priority == Priority::Green);
        new.phone = phone;
        let ticket = self
            .store
            .issue_ticket(&self.ctx(&who.actor()), &new)
            .await?;
        self.hall_feed.wake(hall);
        Ok(ticket)
    }

    /// Signs the staff member in at a window (and out of any other).
    pub async fn sign_in_at_counter(
        &self,
        who: &Principal,
        counter_id: i64,
    ) -> AppResult<CounterRecord> {
        let staff = who.staff()?;
        let counter = self
            .store
            .counter(counter_id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("counter {counter_id}")))?;
        self.authorize_hall(staff, Permission::QueueOperate, &counter.hall)
            .await?;
        Ok(self
            .store
            .sign_in_counter(&self.ctx(&who.actor()), counter_id, staff.id)
            .await?)
    }

    /// Signs the staff member out of their window.
    pub async fn sign_out_of_counter(&self, who: &Principal) -> AppResult<()> {
        let staff = who.staff()?;
        Ok(self
            .store
            .sign_out_counter(&self.ctx(&who.actor()), staff.id)
            .await?)
    }

    /// The window the staff member is signed in at.
    pub async fn my_counter(&self, who: &Principal) -> AppResult<Option<CounterRecord>> {
        let staff = who.staff()?;
        Ok(self.store.counter_of_staff(staff.id).await?)
    }

    async fn signed_in_counter(&self, who: &Principal) -> AppResult<(i64, CounterRecord)> {
        let staff = who.staff()?;
        let counter = self
            .store
            .counter_of_staff(staff.id)
            .await?
            .ok_or_else(|| {
                AppError::Conflict("请先在窗口签到 / sign in at a window first".into())
            })?;
        // The grant is checked again at every action, not only at sign-in.
        self.authorize_hall(staff, Permission::QueueOperate, &counter.hall)
            .await?;
        Ok((staff.id, counter))
    }

    /// Calls the next ticket at the staff member's window; then tells the
    /// holders whose turn is near.
    pub async fn call_next_ticket(&self, who: &Principal) -> AppResult<Option<TicketRecord>> {
        let (staff_id, counter) = self.signed_in_counter(who).await?;
        let call = CallNext {
            counter_id: counter.id,
            staff_id,
            day: beijing_day(self.now()),
            rules: self.config.hall.rules(),
        };
        let called = self.store.call_next(&self.ctx(&who.actor()), &call).await?;
        if let Some(t) = &called {
            self.hall_feed.wake(&counter.hall);
            self.tell_near(&t.hall, &t.day, &t.category).await?;
        }
        Ok(called)
    }

    /// Applies a window action to a ticket of the staff member's window.
    pub async fn act_on_ticket(
        &self,
        who: &Principal,
        ticket_id: i64,
        action: &TicketAction,
    ) -> AppResult<TicketRecord> {
        let (staff_id, counter) = self.signed_in_counter(who).await?;
        let ticket = self
            .store
            .ticket_action(&self.ctx(&who.actor()), ticket_id, staff_id, action)
            .await?;
        self.hall_feed.wake(&counter.hall);
        if ticket.status == TicketStatus::Waiting {
            self.tell_near(&ticket.hall, &ticket.day, &ticket.category)
                .await?;
        }
        Ok(ticket)
    }

    /// Serves a visitor without a ticket at once (a numbered walk-in).
    pub async fn serve_walk_in(&self, who: &Principal, category: &str) -> AppResult<TicketRecord> {
        let (staff_id, counter) = self.signed_in_counter(who).await?;
        let mut new = self.new_ticket(
            &counter.hall,
            category,
            Priority::Ordinary,
            TicketSource::WalkIn,
        )?;
        new.serve_at = Some(WalkIn {
            counter_id: counter.id,
            staff_id,
        });
        let ticket = self
            .store
            .issue_ticket(&self.ctx(&who.actor()), &new)
            .await?;
        self.hall_feed.wake(&counter.hall);
        Ok(ticket)
    }

    /// Creates or replaces a window and its work profile.
    pub async fn save_counter(
        &self,
        who: &Principal,
        counter: &NewCounter,
    ) -> AppResult<CounterRecord> {
        let staff = who.staff()?;
        self.authorize_hall(staff, Permission::StaffManage, &counter.hall)
            .await?;
        Ok(self
            .store
            .save_counter(&self.ctx(&who.actor()), counter)
            .await?)
    }

    /// Where a waiting ticket stands, or `None` once it is no longer waiting.
    pub async fn ticket_position(
        &self,
        ticket: &TicketRecord,
    ) -> AppResult<Option<TicketPosition>> {
        if ticket.status != TicketStatus::Waiting {
            return Ok(None);
        }
        let waiting = self
            .store
            .hall_tickets(&ticket.hall, &ticket.day, &[TicketStatus::Waiting])
            .await?;
        let views: Vec<_> = waiting.iter().map(TicketRecord::waiting_view).collect();
        let rules = self.config.hall.rules();
        let Some(position) = position_in_category(&rules, &views, ticket.id, self.now()) else {
            return Ok(None);
        };
        let windows = self
            .store
            .counters(&ticket.hall)
            .await?
            .iter()
            .filter(|c| c.active && c.staff_id.is_some() && c.profile.serves(&ticket.category))
            .count();
        let windows = i64::try_from(windows).unwrap_or(1);
        let minutes = self
            .mean_service_minutes(&ticket.hall, &ticket.day, &ticket.category)
            .await?;
        Ok(Some(TicketPosition {
            ahead: position - 1,
            windows,
            estimated_minutes: (position * minutes) / windows.max(1),
        }))
    }

    /// Mean service minutes of a category on a day (6 when nothing was served yet).
    async fn mean_service_minutes(
        &self,
        hall: &HallKey,
        day: &str,
        category: &str,
    ) -> AppResult<i64> {
        let done = self
            .store
            .hall_tickets(hall, day, &[TicketStatus::Finished])
            .await?;
        let times: Vec<i64> = done
            .iter()
            .filter(|t| t.category == category)
            .filter_map(|t| Some(t.finished_at? - t.started_at?))
            .collect();
        if times.is_empty() {
            return Ok(6);
        }
        let n = i64::try_from(times.len()).unwrap_or(1);
        Ok((times.iter().sum::<i64>() / n / MINUTE_MICROS).max(1))
    }

    /// Queues "your turn is near" for the holders of a category now within
    /// `near_position`, once per ticket.
    async fn tell_near(&self, hall: &HallKey, day: &str, category: &str) -> AppResult<()> {
        let rules = self.config.hall.rules();
        let waiting = self
            .store
            .hall_tickets(hall, day, &[TicketStatus::Waiting])
            .await?;
        let views: Vec<_> = waiting.iter().map(TicketRecord::waiting_view).collect();
        let now = self.now();
        for t in waiting
            .iter()
            .filter(|t| t.category == category && !t.near_notified)
        {
            let Some(position) = position_in_category(&rules, &views, t.id, now) else {
                continue;
            };
            if position > rules.near_position {
                continue;
            }
            let notifications = self.near_notifications(t, position - 1);
            if notifications.is_empty() {
                continue;
            }
            self.store
                .notify_ticket_near(&self.ctx("system"), t.id, &notifications)
                .await?;
        }
        Ok(())
    }

    fn near_notifications(&self, t: &TicketRecord, ahead: i64) -> Vec<NewNotification> {
        let link = format!(
            "{}/tickets/{}",
            self.config.server.public_url.trim_end_matches('/'),
            t.token
        );
        let subject = format!(
            "{} 号即将叫号 / ticket {} will be called soon",
            t.number, t.number
        );
        let body = format!(
            "您的 {} 号前面还有 {ahead} 位，请到大厅等候叫号。排队进度：{link}\n\nTicket {}: {ahead} ahead of you — please wait in the hall. Progress: {link}",
            t.number, t.number
        );
        let mut out = Vec::new();
        if let Some(phone) = &t.phone {
            out.push(NewNotification {
                channel: "sms".to_owned(),
                recipient: phone.clone(),
                subject: subject.clone(),
                body: format!(
                    "您的 {} 号前面还有 {ahead} 位，请到大厅等候叫号。",
                    t.number
                ),
            });
        }
        if let Some(applicant) = t.applicant_id {
            out.push(NewNotification {
                channel: "in_app".to_owned(),
                recipient: format!("applicant:{applicant}"),
                subject,
                body,
            });
        }
        out
    }
}
