//! The service hall on both engines: one write transaction per operation.

mod appointments;
mod events;
mod rows;
mod setup;
mod tickets;

use async_trait::async_trait;
use onetrip_domain::hall::{Category, TicketStatus};

use super::cases::open::queue;
use super::{Db, EngineStore, audit, idioms};
use crate::hall_model::*;
use crate::{Ctx, HallStore, NewNotification, StoreError, StoreResult};

/// Queues `notifications` and audits `action` on `subject` when the
/// once-only mark before it changed a row (`marked` rows); returns whether
/// it did. Reminders and "your turn is near" messages go out at most once.
pub(super) async fn queue_once(
    tx: &mut sqlx::Transaction<'_, Db>,
    ctx: &Ctx,
    marked: u64,
    action: &str,
    subject: &str,
    notifications: &[NewNotification],
) -> StoreResult<bool> {
    if marked == 0 {
        return Ok(false);
    }
    queue(tx, ctx, None, notifications).await?;
    let channels: Vec<&str> = notifications.iter().map(|n| n.channel.as_str()).collect();
    audit::append(
        tx,
        ctx,
        action,
        subject,
        serde_json::json!({ "channels": channels }),
    )
    .await?;
    Ok(true)
}

/// Runs `body` in a write transaction and commits when it succeeds.
macro_rules! write {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = idioms::begin_write(&$store.pool).await?;
        let out = $body;
        $tx.commit().await?;
        Ok(out)
    }};
}

#[async_trait]
impl HallStore for EngineStore {
    async fn save_category(
        &self,
        ctx: &Ctx,
        hall: &HallKey,
        category: &Category,
        position: i64,
    ) -> StoreResult<()> {
        write!(self, |tx| setup::save_category(
            &mut tx, ctx, hall, category, position
        )
        .await?)
    }

    async fn hall_categories(&self, hall: &HallKey) -> StoreResult<Vec<CategoryRecord>> {
        setup::categories(&self.pool, hall).await
    }

    async fn save_counter(&self, ctx: &Ctx, counter: &NewCounter) -> StoreResult<CounterRecord> {
        write!(self, |tx| setup::save_counter(&mut tx, ctx, counter)
            .await?)
    }

    async fn counters(&self, hall: &HallKey) -> StoreResult<Vec<CounterRecord>> {
        setup::counters(&self.pool, hall).await
    }

    async fn counter(&self, id: i64) -> StoreResult<Option<CounterRecord>> {
        setup::counter_by_id(&self.pool, id).await
    }

    async fn sign_in_counter(
        &self,
        ctx: &Ctx,
        counter_id: i64,
        staff_id: i64,
    ) -> StoreResult<CounterRecord> {
        write!(self, |tx| setup::sign_in(
            &mut tx, ctx, counter_id, staff_id
        )
        .await?)
    }

    async fn sign_out_counter(&self, ctx: &Ctx, staff_id: i64) -> StoreResult<()> {
        write!(self, |tx| setup::sign_out(&mut tx, ctx, staff_id).await?)
    }

    async fn counter_of_staff(&self, staff_id: i64) -> StoreResult<Option<CounterRecord>> {
        setup::counter_of_staff(&self.pool, staff_id).await
    }

    async fn issue_ticket(&self, ctx: &Ctx, new: &NewTicket) -> StoreResult<TicketRecord> {
        write!(self, |tx| tickets::issue(&mut tx, ctx, new).await?)
    }

    async fn call_next(&self, ctx: &Ctx, call: &CallNext) -> StoreResult<Option<TicketRecord>> {
        write!(self, |tx| tickets::call_next(&mut tx, ctx, call).await?)
    }

    async fn ticket_action(
        &self,
        ctx: &Ctx,
        ticket_id: i64,
        staff_id: i64,
        action: &TicketAction,
    ) -> StoreResult<TicketRecord> {
        write!(self, |tx| tickets::act(
            &mut tx, ctx, ticket_id, staff_id, action
        )
        .await?)
    }

    async fn notify_ticket_near(
        &self,
        ctx: &Ctx,
        ticket_id: i64,
        notifications: &[NewNotification],
    ) -> StoreResult<bool> {
        write!(self, |tx| tickets::notify_near(
            &mut tx,
            ctx,
            ticket_id,
            notifications
        )
        .await?)
    }

    async fn ticket(&self, id: i64) -> StoreResult<Option<TicketRecord>> {
        tickets::by_id(&self.pool, id).await
    }

    async fn ticket_by_token(&self, token: &str) -> StoreResult<Option<TicketRecord>> {
        tickets::by_token(&self.pool, token).await
    }

    async fn hall_tickets(
        &self,
        hall: &HallKey,
        day: &str,
        statuses: &[TicketStatus],
    ) -> StoreResult<Vec<TicketRecord>> {
        tickets::of_day(&self.pool, hall, day, statuses).await
    }

    async fn tickets_between(
        &self,
        hall: &HallKey,
        from: &str,
        to: &str,
    ) -> StoreResult<Vec<TicketRecord>> {
        tickets::between(&self.pool, hall, from, to).await
    }

    async fn close_hall_day(&self, ctx: &Ctx, hall: &HallKey, day: &str) -> StoreResult<DayClose> {
        write!(self, |tx| tickets::close_day(&mut tx, ctx, hall, day)
            .await?)
    }

    async fn hall_wakeups(&self) -> StoreResult<Option<tokio::sync::mpsc::Receiver<String>>> {
        idioms::hall_wakeups(&self.pool).await
    }

    async fn hall_events_after(
        &self,
        hall: &HallKey,
        after_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<HallEventRecord>> {
        events::after(&self.pool, hall, after_id, limit).await
    }

    async fn latest_hall_events(
        &self,
        hall: &HallKey,
        kinds: &[&str],
        limit: i64,
    ) -> StoreResult<Vec<HallEventRecord>> {
        events::latest(&self.pool, hall, kinds, limit).await
    }

    async fn create_slots(&self, ctx: &Ctx, slots: &[NewSlot]) -> StoreResult<i64> {
        write!(self, |tx| appointments::create_slots(&mut tx, ctx, slots)
            .await?)
    }

    async fn slots(
        &self,
        hall: &HallKey,
        category: Option<&str>,
        from: &str,
        to: &str,
    ) -> StoreResult<Vec<SlotRecord>> {
        appointments::slots(&self.pool, hall, category, from, to).await
    }

    async fn slot(&self, id: i64) -> StoreResult<Option<SlotRecord>> {
        appointments::slot_by_id(&self.pool, id).await
    }

    async fn book_appointment(
        &self,
        ctx: &Ctx,
        new: &NewAppointment,
    ) -> StoreResult<AppointmentRecord> {
        write!(self, |tx| appointments::book(&mut tx, ctx, new).await?)
    }

    async fn cancel_appointment(
        &self,
        ctx: &Ctx,
        appointment_id: i64,
        applicant_id: i64,
    ) -> StoreResult<AppointmentRecord> {
        write!(self, |tx| {
            appointments::cancel(&mut tx, ctx, appointment_id, applicant_id, "cancelled").await?
        })
    }

    async fn reschedule_appointment(
        &self,
        ctx: &Ctx,
        appointment_id: i64,
        applicant_id: i64,
        new: &NewAppointment,
    ) -> StoreResult<AppointmentRecord> {
        if new.applicant_id != applicant_id {
            return Err(StoreError::NotFound(format!(
                "appointment {appointment_id}"
            )));
        }
        write!(self, |tx| {
            appointments::cancel(&mut tx, ctx, appointment_id, applicant_id, "rescheduled").await?;
            appointments::book(&mut tx, ctx, new).await?
        })
    }

    async fn check_in_appointment(
        &self,
        ctx: &Ctx,
        code: &str,
        ticket: &NewTicket,
    ) -> StoreResult<(AppointmentRecord, TicketRecord)> {
        write!(self, |tx| appointments::check_in(
            &mut tx, ctx, code, ticket
        )
        .await?)
    }

    async fn appointment(&self, id: i64) -> StoreResult<Option<AppointmentRecord>> {
        appointments::by_id(&self.pool, id).await
    }

    async fn appointments_of(&self, applicant_id: i64) -> StoreResult<Vec<AppointmentRecord>> {
        appointments::of_applicant(&self.pool, applicant_id).await
    }

    async fn no_shows_since(&self, applicant_id: i64, since: i64) -> StoreResult<Vec<i64>> {
        appointments::no_shows_since(&self.pool, applicant_id, since).await
    }

    async fn reminders_due(&self, until: i64) -> StoreResult<Vec<ReminderDue>> {
        appointments::reminders_due(&self.pool, until).await
    }

    async fn mark_reminded(
        &self,
        ctx: &Ctx,
        appointment_id: i64,
        notifications: &[NewNotification],
    ) -> StoreResult<bool> {
        write!(self, |tx| {
            appointments::mark_reminded(&mut tx, ctx, appointment_id, notifications).await?
        })
    }

    async fn mark_appointment_no_shows(&self, ctx: &Ctx, now: i64) -> StoreResult<i64> {
        write!(self, |tx| appointments::mark_no_shows(&mut tx, ctx, now)
            .await?)
    }
}
