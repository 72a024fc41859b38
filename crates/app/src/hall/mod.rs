//! The service hall (排队叫号、预约、大屏、统计、排班): use cases on top of
//! [`onetrip_store::HallStore`].
//!
//! Who may do what:
//! - anyone in the hall may take an ordinary ticket at the kiosk and watch
//!   the board; a ticket holder's page is opened by its random token;
//! - reception and window staff need `queue.operate` for the ticket's
//!   centre: issuing green-channel tickets, signing in at a window, calling
//!   and serving;
//! - managers need `supervision.view` for statistics and the planner, and
//!   `staff.manage` for windows, work profiles and slots;
//! - applicants book, cancel and reschedule their own appointments.

pub mod appointments;
pub mod jobs;
pub mod live;
pub mod planner;
pub mod queue;
pub mod stats;

use onetrip_domain::access::{Permission, StaffPrincipal, Target};
use onetrip_domain::region::{Hall, ServiceCentre};
use onetrip_store::HallKey;

use crate::App;
use crate::error::{AppError, AppResult};

/// Microseconds in a minute.
pub const MINUTE_MICROS: i64 = 60_000_000;

/// Beijing time is UTC+8 all year.
const BEIJING_OFFSET_MICROS: i64 = 8 * 3600 * 1_000_000;

/// The Beijing date (`YYYY-MM-DD`) of an instant.
pub fn beijing_day(micros: i64) -> String {
    let days = (micros + BEIJING_OFFSET_MICROS).div_euclid(86_400_000_000);
    time::Date::from_julian_day(i32::try_from(days + 2_440_588).unwrap_or(i32::MAX))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// Minutes after Beijing midnight of an instant.
pub fn beijing_minute(micros: i64) -> i64 {
    (micros + BEIJING_OFFSET_MICROS).rem_euclid(86_400_000_000) / MINUTE_MICROS
}

/// The instant of a Beijing day (`YYYY-MM-DD`) and minute.
pub fn beijing_instant(day: &str, minute: i64) -> Option<i64> {
    let d = time::Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    let days = i64::from(d.to_julian_day()) - 2_440_588;
    Some(days * 86_400_000_000 + minute * MINUTE_MICROS - BEIJING_OFFSET_MICROS)
}

/// A hall with its centre, as found in the catalogue.
#[derive(Debug, Clone)]
pub struct HallPlace {
    /// The centre.
    pub centre: ServiceCentre,
    /// The hall.
    pub hall: Hall,
}

impl HallPlace {
    /// The store key.
    pub fn key(&self) -> HallKey {
        HallKey::new(&self.centre.code, &self.hall.code)
    }

    /// The authorisation target: the centre in its region.
    pub fn target(&self) -> Target {
        Target {
            region: Some(self.centre.region.clone()),
            department: None,
            centre: Some(self.centre.code.clone()),
        }
    }
}

impl App {
    /// Finds a hall of a centre, or "not found".
    pub async fn hall_place(&self, hall: &HallKey) -> AppResult<HallPlace> {
        let centres = self.store.list_service_centres().await?;
        centres
            .into_iter()
            .find(|c| c.code == hall.centre)
            .and_then(|c| {
                let h = c.halls.iter().find(|h| h.code == hall.hall).cloned();
                h.map(|hall| HallPlace { centre: c, hall })
            })
            .ok_or_else(|| AppError::NotFound(format!("hall {}", hall.channel())))
    }

    /// Every hall that has queue categories configured.
    pub async fn queue_halls(&self) -> AppResult<Vec<HallPlace>> {
        let mut out = Vec::new();
        for c in self.store.list_service_centres().await? {
            for h in &c.halls {
                let key = HallKey::new(&c.code, &h.code);
                if !self.store.hall_categories(&key).await?.is_empty() {
                    out.push(HallPlace {
                        centre: c.clone(),
                        hall: h.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Checks a staff member's permission for a hall.
    pub(crate) async fn authorize_hall(
        &self,
        staff: &StaffPrincipal,
        permission: Permission,
        hall: &HallKey,
    ) -> AppResult<HallPlace> {
        let place = self.hall_place(hall).await?;
        staff.authorize(permission, &place.target())?;
        Ok(place)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_days_and_minutes() {
        // 2026-12-01T16:30:00Z is 2026-12-02 00:30 in Beijing.
        let t = 1_796_142_600_000_000;
        assert_eq!(beijing_day(t), "2026-12-02");
        assert_eq!(beijing_minute(t), 30);
        assert_eq!(beijing_instant("2026-12-02", 30), Some(t));
    }
}
