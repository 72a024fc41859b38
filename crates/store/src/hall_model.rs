//! Records and commands of the service hall: categories, windows, tickets,
//! board events, appointment slots and appointments.

use onetrip_domain::hall::{
    AppointmentStatus, Category, GreenReason, Outcome, Priority, QueueRules, TicketSource,
    TicketStatus, WaitingTicket, WorkProfile,
};
use serde::Serialize;

/// One hall of one service centre.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct HallKey {
    /// Service centre code.
    pub centre: String,
    /// Hall code within the centre.
    pub hall: String,
}

impl HallKey {
    /// The key of a hall.
    pub fn new(centre: impl Into<String>, hall: impl Into<String>) -> Self {
        Self {
            centre: centre.into(),
            hall: hall.into(),
        }
    }

    /// `centre/hall`, the channel payload of live events.
    pub fn channel(&self) -> String {
        format!("{}/{}", self.centre, self.hall)
    }
}

/// A category with its display position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRecord {
    /// The category.
    pub category: Category,
    /// Order on kiosks and boards.
    pub position: i64,
}

/// A window (counter) to create or replace, by its number in the hall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCounter {
    /// The hall.
    pub hall: HallKey,
    /// Window number shown to the public (3 号窗口).
    pub number: i64,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// What the window calls.
    pub profile: WorkProfile,
    /// Whether the window is open for sign-in.
    pub active: bool,
}

/// A window with who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CounterRecord {
    /// Id.
    pub id: i64,
    /// The hall.
    pub hall: HallKey,
    /// Window number.
    pub number: i64,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Work profile.
    pub profile: WorkProfile,
    /// Open for sign-in.
    pub active: bool,
    /// Priority tickets called in a row.
    pub priority_streak: i64,
    /// The staff member signed in, if any.
    pub staff_id: Option<i64>,
    /// Since when, microseconds.
    pub since: Option<i64>,
}

/// A ticket to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    /// The hall.
    pub hall: HallKey,
    /// The Beijing day the ticket belongs to (`YYYY-MM-DD`).
    pub day: String,
    /// Category code.
    pub category: String,
    /// Priority class.
    pub priority: Priority,
    /// Why green channel, when it is.
    pub green_reason: Option<GreenReason>,
    /// Where it was issued.
    pub source: TicketSource,
    /// The signed-in applicant, if any.
    pub applicant_id: Option<i64>,
    /// Mobile number for the "your turn is near" SMS, if given.
    pub phone: Option<String>,
    /// Random token of the holder's page.
    pub token: String,
    /// For a walk-in: the window that serves it at once.
    pub serve_at: Option<WalkIn>,
}

/// A walk-in served at once by the window's signed-in staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkIn {
    /// The window.
    pub counter_id: i64,
    /// The staff member signed in there.
    pub staff_id: i64,
}

/// One queue ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketRecord {
    /// Id.
    pub id: i64,
    /// The hall.
    pub hall: HallKey,
    /// Beijing day.
    pub day: String,
    /// Category code.
    pub category: String,
    /// Sequence within category and day.
    pub seq: i64,
    /// Printed number (`A001`).
    pub number: String,
    /// Priority class.
    pub priority: Priority,
    /// Green-channel reason.
    pub green_reason: Option<GreenReason>,
    /// Where issued.
    pub source: TicketSource,
    /// State.
    pub status: TicketStatus,
    /// Issued, microseconds.
    pub issued_at: i64,
    /// When the wait started (kept across transfers).
    pub queued_at: i64,
    /// Last called.
    pub called_at: Option<i64>,
    /// Service started.
    pub started_at: Option<i64>,
    /// Closed.
    pub finished_at: Option<i64>,
    /// The window dealing with it (or that parked it).
    pub counter_id: Option<i64>,
    /// The staff member who called it.
    pub staff_id: Option<i64>,
    /// The one window it was transferred to.
    pub target_counter_id: Option<i64>,
    /// Times recalled.
    pub recalls: i64,
    /// Times transferred.
    pub transfers: i64,
    /// Outcome when finished.
    pub outcome: Option<Outcome>,
    /// The case filed during the visit.
    pub case_id: Option<i64>,
    /// The applicant, when known.
    pub applicant_id: Option<i64>,
    /// Mobile number, when given.
    pub phone: Option<String>,
    /// The appointment checked in.
    pub appointment_id: Option<i64>,
    /// Token of the holder's page.
    pub token: String,
    /// Whether the "your turn is near" message was queued.
    pub near_notified: bool,
    /// Who issued it (`kiosk`, `staff:3`, `applicant:9`).
    pub issued_by: String,
}

impl TicketRecord {
    /// The view the call rule needs.
    pub fn waiting_view(&self) -> WaitingTicket {
        WaitingTicket {
            id: self.id,
            category: self.category.clone(),
            priority: self.priority,
            queued_at: self.queued_at,
            target_counter: self.target_counter_id,
        }
    }

    /// Waiting time until called (or until `now` while waiting), microseconds.
    pub fn wait_micros(&self, now: i64) -> i64 {
        self.called_at.or(self.finished_at).unwrap_or(now) - self.issued_at
    }
}

/// What a window does with its ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketAction {
    /// Call the same ticket again (called → called).
    Recall,
    /// The holder arrived (called → serving).
    Start,
    /// The holder did not come (called → no-show).
    NoShow,
    /// Back to the queue under another category, keeping the wait.
    TransferToCategory(String),
    /// Back to the queue for one other window, keeping the wait.
    TransferToCounter(i64),
    /// Set aside at this window, for example while the holder copies a document.
    Park,
    /// Serve a parked ticket again at the same window.
    Resume,
    /// Close the visit with its outcome, optionally linked to a case.
    Finish {
        /// The outcome.
        outcome: Outcome,
        /// The case filed, if any.
        case_id: Option<i64>,
    },
}

impl TicketAction {
    /// Stable code for audit and events.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Recall => "recall",
            Self::Start => "start",
            Self::NoShow => "no_show",
            Self::TransferToCategory(_) | Self::TransferToCounter(_) => "transfer",
            Self::Park => "park",
            Self::Resume => "resume",
            Self::Finish { .. } => "finish",
        }
    }

    /// The states it may be applied in.
    pub fn allowed_from(&self) -> &'static [TicketStatus] {
        match self {
            Self::Recall | Self::Start | Self::NoShow => &[TicketStatus::Called],
            Self::TransferToCategory(_) | Self::TransferToCounter(_) => {
                &[TicketStatus::Called, TicketStatus::Serving]
            }
            Self::Park => &[TicketStatus::Serving],
            Self::Resume => &[TicketStatus::Parked],
            Self::Finish { .. } => &[TicketStatus::Called, TicketStatus::Serving],
        }
    }
}

/// A window's request for its next ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallNext {
    /// The window.
    pub counter_id: i64,
    /// The staff member signed in there.
    pub staff_id: i64,
    /// Today's Beijing day.
    pub day: String,
    /// The hall's queue rules.
    pub rules: QueueRules,
}

/// One event of a hall's live feed (board, holder pages).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HallEventRecord {
    /// Increasing id (the SSE event id).
    pub id: i64,
    /// The hall.
    pub hall: HallKey,
    /// Microseconds.
    pub at: i64,
    /// `issued`, `called`, `recalled`, `started`, `finished`, `no_show`,
    /// `transferred`, `parked`, `resumed`, `abandoned`.
    pub kind: String,
    /// Ticket number.
    pub ticket_number: String,
    /// Window number, for calls.
    pub counter_number: Option<i64>,
    /// Counts and extras (JSON).
    pub detail: serde_json::Value,
}

/// Appointment slots to create (existing ones are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSlot {
    /// The hall.
    pub hall: HallKey,
    /// Category code.
    pub category: String,
    /// Beijing day.
    pub day: String,
    /// Start, minutes after midnight (Beijing).
    pub start_minute: i64,
    /// End, minutes after midnight.
    pub end_minute: i64,
    /// Start, microseconds since the epoch.
    pub starts_at: i64,
    /// End, microseconds since the epoch.
    pub ends_at: i64,
    /// People who may book it.
    pub capacity: i64,
}

/// One appointment slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlotRecord {
    /// Id.
    pub id: i64,
    /// The hall.
    pub hall: HallKey,
    /// Category code.
    pub category: String,
    /// Beijing day.
    pub day: String,
    /// Start minute.
    pub start_minute: i64,
    /// End minute.
    pub end_minute: i64,
    /// Start, microseconds.
    pub starts_at: i64,
    /// End, microseconds.
    pub ends_at: i64,
    /// Capacity.
    pub capacity: i64,
    /// Booked so far.
    pub booked: i64,
}

/// A booking request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppointment {
    /// The slot.
    pub slot_id: i64,
    /// The applicant.
    pub applicant_id: i64,
    /// The booking code shown to the applicant and typed at the kiosk.
    pub code: String,
    /// Now, microseconds (for the no-show rule).
    pub now: i64,
}

/// One appointment with its slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppointmentRecord {
    /// Id.
    pub id: i64,
    /// The slot.
    pub slot: SlotRecord,
    /// The applicant.
    pub applicant_id: i64,
    /// Booking code.
    pub code: String,
    /// State.
    pub status: AppointmentStatus,
    /// Booked, microseconds.
    pub booked_at: i64,
    /// Cancelled.
    pub cancelled_at: Option<i64>,
    /// Checked in.
    pub checked_in_at: Option<i64>,
    /// The ticket issued at check-in.
    pub ticket_id: Option<i64>,
    /// Reminder queued.
    pub reminded_at: Option<i64>,
}

/// A reminder that is due, with what is needed to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderDue {
    /// The appointment.
    pub appointment: AppointmentRecord,
    /// The applicant's mobile number.
    pub phone: Option<String>,
    /// The applicant's e-mail.
    pub email: Option<String>,
}

/// What closing a hall day did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DayClose {
    /// Tickets still waiting, called or parked that were closed as abandoned.
    pub abandoned: i64,
    /// Booked appointments whose slot ended without check-in.
    pub no_shows: i64,
}
