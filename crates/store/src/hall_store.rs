//! The service hall's operations. Each mutating operation is one
//! transaction that also writes its live-board event (and, on PostgreSQL,
//! its `NOTIFY`) and its audit entry, so a call, its record and its
//! announcement commit together.

use async_trait::async_trait;
use onetrip_domain::hall::Category;

use crate::hall_model::*;
use crate::{Ctx, NewNotification, StoreResult};

/// Categories, windows, tickets, the live feed and appointments.
#[async_trait]
pub trait HallStore: Send + Sync {
    // ---- set-up ----
    /// Creates or replaces a category of a hall.
    async fn save_category(
        &self,
        ctx: &Ctx,
        hall: &HallKey,
        category: &Category,
        position: i64,
    ) -> StoreResult<()>;
    /// The categories of a hall, by position.
    async fn hall_categories(&self, hall: &HallKey) -> StoreResult<Vec<CategoryRecord>>;
    /// Creates or replaces a window by its number; the profile must name
    /// the hall's categories.
    async fn save_counter(&self, ctx: &Ctx, counter: &NewCounter) -> StoreResult<CounterRecord>;
    /// The windows of a hall, by number.
    async fn counters(&self, hall: &HallKey) -> StoreResult<Vec<CounterRecord>>;
    /// One window.
    async fn counter(&self, id: i64) -> StoreResult<Option<CounterRecord>>;
    /// Signs a staff member in at a window (一人多岗: signing in elsewhere
    /// first signs them out of their previous window, unless they still
    /// deal with a ticket there). A window held by someone else is a conflict.
    async fn sign_in_counter(
        &self,
        ctx: &Ctx,
        counter_id: i64,
        staff_id: i64,
    ) -> StoreResult<CounterRecord>;
    /// Signs a staff member out of their window (not while a ticket is called or served there).
    async fn sign_out_counter(&self, ctx: &Ctx, staff_id: i64) -> StoreResult<()>;
    /// The window a staff member is signed in at.
    async fn counter_of_staff(&self, staff_id: i64) -> StoreResult<Option<CounterRecord>>;

    // ---- tickets ----
    /// Issues a ticket: the next number of its category and day (an upsert
    /// on the sequence row, so numbers are unique and gap-free across
    /// instances), its `issued` event and audit entry. A walk-in is served
    /// at once by its window.
    async fn issue_ticket(&self, ctx: &Ctx, new: &NewTicket) -> StoreResult<TicketRecord>;
    /// Calls the next ticket for a window by the queue rules, or `None`
    /// when nobody waits. The window must be free and the caller signed in
    /// there; of two windows racing for one ticket, one gets it.
    async fn call_next(&self, ctx: &Ctx, call: &CallNext) -> StoreResult<Option<TicketRecord>>;
    /// Applies a window's action to its ticket; the caller must be signed in
    /// at the ticket's window. A state that does not allow it is a conflict.
    async fn ticket_action(
        &self,
        ctx: &Ctx,
        ticket_id: i64,
        staff_id: i64,
        action: &TicketAction,
    ) -> StoreResult<TicketRecord>;
    /// Queues the "your turn is near" message of a ticket once (false when
    /// it was queued before).
    async fn notify_ticket_near(
        &self,
        ctx: &Ctx,
        ticket_id: i64,
        notifications: &[NewNotification],
    ) -> StoreResult<bool>;
    /// One ticket.
    async fn ticket(&self, id: i64) -> StoreResult<Option<TicketRecord>>;
    /// The ticket behind a holder's page token.
    async fn ticket_by_token(&self, token: &str) -> StoreResult<Option<TicketRecord>>;
    /// Tickets of a hall and day in the given states (all states when empty), by id.
    async fn hall_tickets(
        &self,
        hall: &HallKey,
        day: &str,
        statuses: &[onetrip_domain::hall::TicketStatus],
    ) -> StoreResult<Vec<TicketRecord>>;
    /// Every ticket of a hall issued on the days `from..=to`, by id.
    async fn tickets_between(
        &self,
        hall: &HallKey,
        from: &str,
        to: &str,
    ) -> StoreResult<Vec<TicketRecord>>;
    /// Closes a hall day: tickets still open become abandoned, booked
    /// appointments whose slot ended become no-shows.
    async fn close_hall_day(&self, ctx: &Ctx, hall: &HallKey, day: &str) -> StoreResult<DayClose>;

    // ---- live feed ----
    /// Wake-ups from other instances (PostgreSQL `LISTEN`): each message is
    /// the `centre/hall` whose feed has new events. `None` on engines
    /// without notifications, where readers poll.
    async fn hall_wakeups(&self) -> StoreResult<Option<tokio::sync::mpsc::Receiver<String>>>;
    /// Events of a hall after `after_id`, oldest first, at most `limit`.
    async fn hall_events_after(
        &self,
        hall: &HallKey,
        after_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<HallEventRecord>>;
    /// The newest events of some kinds, newest first.
    async fn latest_hall_events(
        &self,
        hall: &HallKey,
        kinds: &[&str],
        limit: i64,
    ) -> StoreResult<Vec<HallEventRecord>>;

    // ---- appointments ----
    /// Creates slots; an existing slot (same hall, category, day, start) is kept as it is.
    async fn create_slots(&self, ctx: &Ctx, slots: &[NewSlot]) -> StoreResult<i64>;
    /// Slots of a hall on the days `from..=to`, optionally of one category.
    async fn slots(
        &self,
        hall: &HallKey,
        category: Option<&str>,
        from: &str,
        to: &str,
    ) -> StoreResult<Vec<SlotRecord>>;
    /// One slot.
    async fn slot(&self, id: i64) -> StoreResult<Option<SlotRecord>>;
    /// Books a slot: refused while the applicant is restricted for
    /// repeated no-shows, when they already hold a booking for the same
    /// category and day, or when the slot is full (never beyond capacity).
    async fn book_appointment(
        &self,
        ctx: &Ctx,
        new: &NewAppointment,
    ) -> StoreResult<AppointmentRecord>;
    /// Cancels the applicant's booking and frees its place.
    async fn cancel_appointment(
        &self,
        ctx: &Ctx,
        appointment_id: i64,
        applicant_id: i64,
    ) -> StoreResult<AppointmentRecord>;
    /// Moves a booking to another slot in one transaction (the old place is
    /// freed only when the new one is taken).
    async fn reschedule_appointment(
        &self,
        ctx: &Ctx,
        appointment_id: i64,
        applicant_id: i64,
        new: &NewAppointment,
    ) -> StoreResult<AppointmentRecord>;
    /// Checks a booking in and issues its ticket (appointment priority when
    /// on time, ordinary when late; too early is refused).
    async fn check_in_appointment(
        &self,
        ctx: &Ctx,
        code: &str,
        ticket: &NewTicket,
    ) -> StoreResult<(AppointmentRecord, TicketRecord)>;
    /// One appointment.
    async fn appointment(&self, id: i64) -> StoreResult<Option<AppointmentRecord>>;
    /// An applicant's appointments, newest slot first.
    async fn appointments_of(&self, applicant_id: i64) -> StoreResult<Vec<AppointmentRecord>>;
    /// Missed appointments of an applicant since `since` (microseconds).
    async fn no_shows_since(&self, applicant_id: i64, since: i64) -> StoreResult<Vec<i64>>;
    /// Booked appointments starting before `until` whose reminder was not queued.
    async fn reminders_due(&self, until: i64) -> StoreResult<Vec<ReminderDue>>;
    /// Queues an appointment's reminder once (false when it was queued before).
    async fn mark_reminded(
        &self,
        ctx: &Ctx,
        appointment_id: i64,
        notifications: &[NewNotification],
    ) -> StoreResult<bool>;
    /// Marks booked appointments whose slot ended before `now` as no-shows.
    async fn mark_appointment_no_shows(&self, ctx: &Ctx, now: i64) -> StoreResult<i64>;
}
