//! The deadline job: deemed acceptance, warning levels and escalation.
//!
//! Rules: a case not answered within 5 working days of receipt is accepted
//! by law as of the receipt date. Each running clock shows yellow once 80 %
//! of its working days are used and red when overdue; the first time a
//! clock reaches each threshold the supervisors covering the case's region
//! are told and the case is marked, exactly once per threshold (a unique
//! row in the same transaction), also across restarts. The job holds a
//! lease so that only one of several instances runs it at a time.

use onetrip_domain::access::{Permission, StaffPrincipal, Target};
use onetrip_domain::calendar::{LimitClock, WarningLevel, WorkCalendar};
use onetrip_domain::case::{ACCEPTANCE_LIMIT_DAYS, PartStatus};
use onetrip_domain::region::RegionCode;
use onetrip_store::{CaseActor, CaseCommand, NewNotification, OpenClock};
use serde::Serialize;

use crate::App;
use crate::error::{AppError, AppResult};

/// What one round of the job did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeadlineReport {
    /// False when another instance holds the lease.
    pub ran: bool,
    /// Cases accepted by law in this round.
    pub deemed_accepted: usize,
    /// Warning levels changed.
    pub warnings_changed: usize,
    /// Escalations made.
    pub escalated: usize,
}

const LEASE: &str = "deadlines";
const LEASE_MICROS: i64 = 10 * 60 * 1_000_000;

impl App {
    /// Runs one round as `holder` (an instance id).
    pub async fn run_deadline_job(&self, holder: &str) -> AppResult<DeadlineReport> {
        let now = self.now();
        if !self
            .store
            .acquire_lease(LEASE, holder, now, now + LEASE_MICROS)
            .await?
        {
            return Ok(DeadlineReport::default());
        }
        let mut report = DeadlineReport {
            ran: true,
            ..DeadlineReport::default()
        };
        let today = self.today();
        for id in self.store.cases_past_acceptance(today).await? {
            let Some(detail) = self.store.case_detail(id).await? else {
                continue;
            };
            match self
                .apply_as(
                    CaseActor::System,
                    "system",
                    &detail.case,
                    CaseCommand::DeemAccept,
                )
                .await
            {
                Ok(_) => report.deemed_accepted += 1,
                // Someone answered in the meantime.
                Err(AppError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let calendar = self.calendar().await?;
        let supervisors = self.supervisors().await?;
        for clock in self.store.open_clocks().await? {
            for (seq, level) in levels(&calendar, &clock, today)? {
                let current = if seq == 0 {
                    clock.warning
                } else {
                    clock
                        .parts
                        .iter()
                        .find(|p| p.seq == seq)
                        .map(|p| p.warning)
                        .unwrap_or(WarningLevel::Normal)
                };
                if current == level {
                    continue;
                }
                report.warnings_changed += 1;
                let told = escalation_notices(&supervisors, &clock, seq, level);
                if self
                    .store
                    .record_warning(&self.ctx("system"), clock.case_id, seq, level, &told)
                    .await?
                {
                    report.escalated += 1;
                }
            }
        }
        Ok(report)
    }

    /// Every enabled staff member holding `supervision.view`.
    async fn supervisors(&self) -> AppResult<Vec<StaffPrincipal>> {
        let mut out = Vec::new();
        for s in self.store.list_staff().await? {
            if s.disabled {
                continue;
            }
            if let Some(p) = self.store.staff_principal(s.id).await?
                && p.has_anywhere(Permission::SupervisionView)
            {
                out.push(p);
            }
        }
        Ok(out)
    }
}

/// The warning level of each running clock of a case: `(0, level)` for the
/// acceptance clock, `(part seq, level)` for each undecided part.
pub fn levels(
    calendar: &WorkCalendar,
    clock: &OpenClock,
    today: time::Date,
) -> AppResult<Vec<(i64, WarningLevel)>> {
    let mut out = Vec::new();
    if clock.status.awaits_acceptance() {
        if let Some(started) = clock.submitted_on {
            let status = calendar
                .clock_status(
                    &LimitClock {
                        started,
                        limit_days: ACCEPTANCE_LIMIT_DAYS,
                        extension_days: 0,
                        pauses: Vec::new(),
                    },
                    today,
                )
                .map_err(|e| AppError::Internal(e.to_string()))?;
            out.push((0, status.level));
        }
        return Ok(out);
    }
    let Some(started) = clock.accepted_on else {
        return Ok(out);
    };
    let pauses: Vec<_> = clock
        .pauses
        .iter()
        .map(|p| onetrip_domain::calendar::Pause {
            from: p.from,
            until: p.until,
        })
        .collect();
    for part in &clock.parts {
        if !matches!(part.status, PartStatus::Open | PartStatus::Claimed) {
            continue;
        }
        let status = calendar
            .clock_status(
                &LimitClock {
                    started,
                    limit_days: u32::try_from(part.statutory_days).unwrap_or(0),
                    extension_days: u32::try_from(part.extension_days).unwrap_or(0),
                    pauses: pauses.clone(),
                },
                today,
            )
            .map_err(|e| AppError::Internal(e.to_string()))?;
        out.push((part.seq, status.level));
    }
    Ok(out)
}

fn escalation_notices(
    supervisors: &[StaffPrincipal],
    clock: &OpenClock,
    seq: i64,
    level: WarningLevel,
) -> Vec<NewNotification> {
    if level == WarningLevel::Normal {
        return Vec::new();
    }
    let target = Target {
        region: RegionCode::parse(&clock.region_code).ok(),
        department: None,
        centre: None,
    };
    let (zh, en) = match level {
        WarningLevel::Red => ("已超期（红牌）", "is overdue (red)"),
        _ => ("临近期限（黄牌）", "is close to its limit (yellow)"),
    };
    let what = if seq == 0 {
        "受理期限 / acceptance limit".to_owned()
    } else {
        clock
            .parts
            .iter()
            .find(|p| p.seq == seq)
            .map(|p| format!("{} / {}", p.name.zh, p.name.en))
            .unwrap_or_default()
    };
    supervisors
        .iter()
        .filter(|s| s.authorize(Permission::SupervisionView, &target).is_ok())
        .map(|s| NewNotification {
            channel: "in_app".to_owned(),
            recipient: format!("staff:{}", s.id),
            subject: format!(
                "效能预警：办件 {} {zh} / case {} {en}",
                clock.case_no, clock.case_no
            ),
            body: format!(
                "办件 {}“{}”的{what}{zh}，请督办。\nCase {} \"{}\" — {what} {en}.",
                clock.case_no, clock.title.zh, clock.case_no, clock.title.en
            ),
        })
        .collect()
}
