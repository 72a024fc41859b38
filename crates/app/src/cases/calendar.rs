//! The working-day calendar as the application uses it.
//!
//! Rules: the State Council notices for 2024–2026 ship with OneTrip and are
//! stored on first start; each later year's notice is imported by staff
//! holding `calendar.manage` (page, API or `onetrip calendar import`).
//! Importing recomputes every open case's due dates in the same
//! transaction. A year without a notice is computed on weekends only and
//! every due date touching it is flagged provisional.

use onetrip_domain::access::{Permission, Target};
use onetrip_domain::calendar::{HolidayNotice, WorkCalendar, builtin_notices};
use onetrip_store::{CalendarImport, StoredNotice};

use crate::App;
use crate::auth::Principal;
use crate::error::AppResult;

impl App {
    /// Stores the built-in notices of years that have none yet.
    pub async fn seed_calendar(&self) -> AppResult<()> {
        let stored = self.store.calendar_notices().await?;
        for notice in builtin_notices() {
            if !stored.iter().any(|s| s.notice.year == notice.year) {
                self.store
                    .import_calendar_notice(&self.ctx("system"), &notice)
                    .await?;
            }
        }
        Ok(())
    }

    /// The calendar of every stored notice.
    pub async fn calendar(&self) -> AppResult<WorkCalendar> {
        let stored = self.store.calendar_notices().await?;
        let notices: Vec<HolidayNotice> = stored.into_iter().map(|s| s.notice).collect();
        Ok(WorkCalendar::new(&notices))
    }

    /// Every stored notice.
    pub async fn calendar_notices(&self) -> AppResult<Vec<StoredNotice>> {
        Ok(self.store.calendar_notices().await?)
    }

    /// Imports a year's notice (needs `calendar.manage`).
    pub async fn import_calendar_notice(
        &self,
        who: &Principal,
        notice: &HolidayNotice,
    ) -> AppResult<CalendarImport> {
        who.staff()?
            .authorize(Permission::CalendarManage, &Target::default())?;
        self.import_calendar_notice_as(&who.actor(), notice).await
    }

    /// Imports a notice as a named actor (the CLI).
    pub async fn import_calendar_notice_as(
        &self,
        actor: &str,
        notice: &HolidayNotice,
    ) -> AppResult<CalendarImport> {
        notice.validate()?;
        Ok(self
            .store
            .import_calendar_notice(&self.ctx(actor), notice)
            .await?)
    }
}
