//! Appointments (预约): slots per category and day with a capacity; book,
//! cancel and reschedule online; check in at the kiosk for a priority
//! ticket; repeated no-shows close booking for a while.

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::Permission;
use onetrip_domain::hall::{
    NO_SHOW_BLOCK_DAYS, NO_SHOW_LIMIT, NO_SHOW_WINDOW_DAYS, Priority, TicketSource,
};
use onetrip_store::{
    AppointmentRecord, HallKey, NewAppointment, NewSlot, SlotRecord, TicketRecord,
};

use super::beijing_instant;
use crate::App;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};

const DAY_MICROS: i64 = 86_400_000_000;

/// A booking code: eight digits, easy to type at the kiosk.
fn booking_code() -> AppResult<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(bytes.iter().map(|b| char::from(b'0' + b % 10)).collect())
}

/// Builds the slots of one category on one day: `[start, start + length)`
/// every `length` minutes from `first` until `last`.
pub fn day_slots(
    hall: &HallKey,
    category: &str,
    day: &str,
    periods: &[(i64, i64)],
    length: i64,
    capacity: i64,
) -> Result<Vec<NewSlot>, ValidationErrors> {
    let mut out = Vec::new();
    if length < 5 {
        return Err(ValidationErrors::single(
            "length",
            "out_of_range",
            "时段至少 5 分钟",
        ));
    }
    for (first, last) in periods {
        let mut start = *first;
        while start + length <= *last {
            let (Some(starts_at), Some(ends_at)) = (
                beijing_instant(day, start),
                beijing_instant(day, start + length),
            ) else {
                return Err(ValidationErrors::single(
                    "day",
                    "invalid_date",
                    "日期应为 YYYY-MM-DD",
                ));
            };
            out.push(NewSlot {
                hall: hall.clone(),
                category: category.to_owned(),
                day: day.to_owned(),
                start_minute: start,
                end_minute: start + length,
                starts_at,
                ends_at,
                capacity,
            });
            start += length;
        }
    }
    Ok(out)
}

impl App {
    /// Slots of a hall between two days.
    pub async fn open_slots(
        &self,
        hall: &HallKey,
        category: Option<&str>,
        from: &str,
        to: &str,
    ) -> AppResult<Vec<SlotRecord>> {
        self.hall_place(hall).await?;
        Ok(self.store.slots(hall, category, from, to).await?)
    }

    /// Publishes slots (managers with `staff.manage` for the centre).
    pub async fn publish_slots(
        &self,
        who: &Principal,
        hall: &HallKey,
        slots: &[NewSlot],
    ) -> AppResult<i64> {
        let staff = who.staff()?;
        self.authorize_hall(staff, Permission::StaffManage, hall)
            .await?;
        if slots.iter().any(|s| &s.hall != hall) {
            return Err(
                ValidationErrors::single("slots", "other_hall", "时段须属于同一大厅").into(),
            );
        }
        Ok(self
            .store
            .create_slots(&self.ctx(&who.actor()), slots)
            .await?)
    }

    /// Until when an applicant may not book, when repeated no-shows closed booking.
    pub async fn booking_blocked_until(&self, applicant_id: i64) -> AppResult<Option<i64>> {
        let now = self.now();
        let missed = self
            .store
            .no_shows_since(applicant_id, now - NO_SHOW_WINDOW_DAYS * DAY_MICROS)
            .await?;
        let limit = usize::try_from(NO_SHOW_LIMIT).unwrap_or(usize::MAX);
        Ok(missed
            .last()
            .filter(|_| missed.len() >= limit)
            .map(|last| last + NO_SHOW_BLOCK_DAYS * DAY_MICROS)
            .filter(|until| *until > now))
    }

    /// Books a slot for the signed-in applicant.
    pub async fn book_appointment(
        &self,
        who: &Principal,
        slot_id: i64,
    ) -> AppResult<AppointmentRecord> {
        let Principal::Applicant(applicant) = who else {
            return Err(AppError::Forbidden(
                "仅限申请人预约 / applicants book appointments".into(),
            ));
        };
        let new = NewAppointment {
            slot_id,
            applicant_id: applicant.id,
            code: booking_code()?,
            now: self.now(),
        };
        Ok(self
            .store
            .book_appointment(&self.ctx(&who.actor()), &new)
            .await?)
    }

    /// Cancels one of the applicant's bookings.
    pub async fn cancel_appointment(
        &self,
        who: &Principal,
        appointment_id: i64,
    ) -> AppResult<AppointmentRecord> {
        let Principal::Applicant(applicant) = who else {
            return Err(AppError::Forbidden(
                "仅限申请人本人 / the applicant only".into(),
            ));
        };
        Ok(self
            .store
            .cancel_appointment(&self.ctx(&who.actor()), appointment_id, applicant.id)
            .await?)
    }

    /// Moves one of the applicant's bookings to another slot.
    pub async fn reschedule_appointment(
        &self,
        who: &Principal,
        appointment_id: i64,
        slot_id: i64,
    ) -> AppResult<AppointmentRecord> {
        let Principal::Applicant(applicant) = who else {
            return Err(AppError::Forbidden(
                "仅限申请人本人 / the applicant only".into(),
            ));
        };
        let new = NewAppointment {
            slot_id,
            applicant_id: applicant.id,
            code: booking_code()?,
            now: self.now(),
        };
        Ok(self
            .store
            .reschedule_appointment(&self.ctx(&who.actor()), appointment_id, applicant.id, &new)
            .await?)
    }

    /// The applicant's appointments.
    pub async fn my_appointments(&self, who: &Principal) -> AppResult<Vec<AppointmentRecord>> {
        let Principal::Applicant(applicant) = who else {
            return Ok(Vec::new());
        };
        Ok(self.store.appointments_of(applicant.id).await?)
    }

    /// Checks a booking in at the hall's kiosk or reception and issues its ticket.
    pub async fn check_in_appointment(
        &self,
        hall: &HallKey,
        code: &str,
    ) -> AppResult<(AppointmentRecord, TicketRecord)> {
        self.hall_place(hall).await?;
        let code = code.trim();
        if code.len() != 8 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationErrors::single(
                "code",
                "invalid_code",
                "预约码为 8 位数字 / the booking code has 8 digits",
            )
            .into());
        }
        let template = self.new_ticket_template(hall)?;
        let out = self
            .store
            .check_in_appointment(&self.ctx("kiosk"), code, &template)
            .await?;
        self.hall_feed.wake(hall);
        Ok(out)
    }

    fn new_ticket_template(&self, hall: &HallKey) -> AppResult<onetrip_store::NewTicket> {
        Ok(onetrip_store::NewTicket {
            hall: hall.clone(),
            day: super::beijing_day(self.now()),
            category: String::new(),
            priority: Priority::Appointment,
            green_reason: None,
            source: TicketSource::Appointment,
            applicant_id: None,
            phone: None,
            token: crate::auth::random_token()?,
            serve_at: None,
        })
    }
}
