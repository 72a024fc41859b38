//! Due dates of a case, recomputed from the working-day calendar inside the
//! transaction that changes anything they depend on (acceptance, pauses,
//! extensions, decisions, a newly imported holiday notice).

use onetrip_domain::calendar::{Computed, HolidayNotice, LimitClock, Pause, WorkCalendar};
use onetrip_domain::case::{ACCEPTANCE_LIMIT_DAYS, DELIVERY_LIMIT_DAYS, PartStatus};
use sqlx::Transaction;
use time::Date;

use super::Db;
use super::rows::{load_case, load_parts, load_pauses, opt_date_text};
use crate::{CaseRecord, PauseRecord, StoreError, StoreResult};

/// The calendar of every imported notice, read in the caller's transaction.
pub(super) async fn calendar(tx: &mut Transaction<'_, Db>) -> StoreResult<WorkCalendar> {
    let docs: Vec<String> =
        sqlx::query_scalar("SELECT document FROM calendar_notices ORDER BY year")
            .fetch_all(&mut **tx)
            .await?;
    let notices = docs
        .iter()
        .map(|d| serde_json::from_str::<HolidayNotice>(d).map_err(StoreError::from))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(WorkCalendar::new(&notices))
}

/// The pauses as the calendar's clock inputs.
pub(super) fn clock_pauses(pauses: &[PauseRecord]) -> Vec<Pause> {
    pauses
        .iter()
        .map(|p| Pause {
            from: p.from,
            until: p.until,
        })
        .collect()
}

/// A due date and its provisional flag, `None` while paused.
fn due(
    cal: &WorkCalendar,
    started: Date,
    days: i64,
    extension: i64,
    pauses: &[Pause],
) -> StoreResult<Option<Computed<Date>>> {
    let clock = LimitClock {
        started,
        limit_days: u32::try_from(days).unwrap_or(0),
        extension_days: u32::try_from(extension).unwrap_or(0),
        pauses: pauses.to_vec(),
    };
    Ok(cal.due_date(&clock)?)
}

/// Recomputes and stores every due date of one case.
pub(super) async fn recompute(
    tx: &mut Transaction<'_, Db>,
    case_id: i64,
    cal: &WorkCalendar,
) -> StoreResult<()> {
    match load_case(tx, case_id).await? {
        Some(case) => recompute_for(tx, &case, cal).await,
        None => Ok(()),
    }
}

/// Recomputes the due dates of a case whose stored row is `case`.
pub(super) async fn recompute_for(
    tx: &mut Transaction<'_, Db>,
    case: &CaseRecord,
    cal: &WorkCalendar,
) -> StoreResult<()> {
    let case_id = case.id;
    let parts = load_parts(tx, case_id).await?;
    let pauses = clock_pauses(&load_pauses(tx, case_id).await?);
    let mut provisional = false;
    let accept_due = match (case.status.awaits_acceptance(), case.submitted_on) {
        (true, Some(from)) => {
            let d = cal.add_working_days(from, ACCEPTANCE_LIMIT_DAYS)?;
            provisional |= d.provisional;
            Some(d.value)
        }
        _ => case.accept_due,
    };
    let mut decision_due: Option<Date> = None;
    let mut promised_due: Option<Date> = None;
    let mut paused = false;
    if let Some(started) = case.accepted_on {
        for part in &parts {
            let (statutory, promised, part_provisional) =
                if matches!(part.status, PartStatus::Decided | PartStatus::Closed) {
                    (part.statutory_due, part.promised_due, part.due_provisional)
                } else {
                    let s = due(
                        cal,
                        started,
                        part.statutory_days,
                        part.extension_days,
                        &pauses,
                    )?;
                    let p = due(cal, started, part.promised_days, 0, &pauses)?;
                    let prov = s.is_some_and(|d| d.provisional) || p.is_some_and(|d| d.provisional);
                    paused |= s.is_none();
                    (s.map(|d| d.value), p.map(|d| d.value), prov)
                };
            provisional |= part_provisional;
            decision_due = decision_due.max(statutory);
            promised_due = promised_due.max(promised);
            sqlx::query(
                "UPDATE case_parts SET statutory_due = $1, promised_due = $2, due_provisional = $3 WHERE id = $4",
            )
            .bind(opt_date_text(statutory))
            .bind(opt_date_text(promised))
            .bind(i64::from(part_provisional))
            .bind(part.id)
            .execute(&mut **tx)
            .await?;
        }
    }
    if paused {
        decision_due = None;
        promised_due = None;
    }
    let delivery_due = match case.decided_on {
        Some(d) => {
            let due = cal.add_working_days(d, DELIVERY_LIMIT_DAYS)?;
            provisional |= due.provisional;
            Some(due.value)
        }
        None => None,
    };
    sqlx::query(
        "UPDATE cases SET accept_due = $1, decision_due = $2, promised_due = $3, delivery_due = $4, \
         due_provisional = $5 WHERE id = $6",
    )
    .bind(opt_date_text(accept_due))
    .bind(opt_date_text(decision_due))
    .bind(opt_date_text(promised_due))
    .bind(opt_date_text(delivery_due))
    .bind(i64::from(provisional))
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
