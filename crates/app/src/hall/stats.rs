//! Queue statistics (排队统计): waiting and service time distributions per
//! category, window, staff member and hour; abandonment; tickets per hour.
//!
//! Definitions: the wait of a ticket runs from issue to its (last) call —
//! a transfer keeps the original start, so a transferred visitor's wait
//! includes the first window. Service runs from the start of service to
//! finishing. Abandoned are tickets closed as no-show or left without
//! service. Walk-ins are counted as tickets with no wait.

use std::collections::BTreeMap;

use onetrip_domain::access::Permission;
use onetrip_domain::hall::TicketStatus;
use onetrip_store::{HallKey, TicketRecord};
use serde::Serialize;

use super::{MINUTE_MICROS, beijing_minute};
use crate::App;
use crate::auth::Principal;
use crate::error::AppResult;

/// A distribution of durations, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Distribution {
    /// Values counted.
    pub count: usize,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Largest.
    pub max: f64,
}

impl Distribution {
    /// The distribution of `minutes` (nearest-rank percentiles).
    pub fn of(mut minutes: Vec<f64>) -> Self {
        if minutes.is_empty() {
            return Self::default();
        }
        minutes.sort_by(f64::total_cmp);
        let n = minutes.len();
        let rank = |p: f64| {
            let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
            minutes.get(i).copied().unwrap_or_default()
        };
        Self {
            count: n,
            mean: minutes.iter().sum::<f64>() / n as f64,
            p50: rank(0.5),
            p90: rank(0.9),
            max: minutes.last().copied().unwrap_or_default(),
        }
    }
}

/// The figures of one group of tickets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStats {
    /// Group key (category code, window number, staff id, hour).
    pub key: String,
    /// Tickets issued.
    pub tickets: usize,
    /// Tickets served to the end.
    pub served: usize,
    /// No-shows and visitors who left.
    pub abandoned: usize,
    /// Share abandoned.
    pub abandonment_rate: f64,
    /// Share called within the target wait.
    pub within_target: f64,
    /// Waits.
    pub wait: Distribution,
    /// Service times.
    pub service: Distribution,
}

/// Statistics of a hall over some days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HallStats {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// The wait counted as "within target", minutes.
    pub target_minutes: i64,
    /// All tickets.
    pub total: GroupStats,
    /// By category.
    pub by_category: Vec<GroupStats>,
    /// By window number (tickets a window called).
    pub by_counter: Vec<GroupStats>,
    /// By staff id (tickets a person called).
    pub by_staff: Vec<GroupStats>,
    /// By hour of issue (Beijing), `09` … `17`.
    pub by_hour: Vec<GroupStats>,
}

fn minutes(micros: i64) -> f64 {
    micros as f64 / MINUTE_MICROS as f64
}

fn wait_of(t: &TicketRecord) -> Option<f64> {
    t.called_at.map(|c| minutes(c - t.issued_at))
}

fn service_of(t: &TicketRecord) -> Option<f64> {
    match (t.status, t.started_at, t.finished_at) {
        (TicketStatus::Finished, Some(s), Some(f)) => Some(minutes(f - s)),
        _ => None,
    }
}

/// The figures of a group.
pub fn group(key: String, tickets: &[&TicketRecord], target_minutes: i64) -> GroupStats {
    let waits: Vec<f64> = tickets.iter().filter_map(|t| wait_of(t)).collect();
    let within = waits
        .iter()
        .filter(|w| **w <= target_minutes as f64)
        .count();
    let abandoned = tickets
        .iter()
        .filter(|t| matches!(t.status, TicketStatus::NoShow | TicketStatus::Abandoned))
        .count();
    let n = tickets.len();
    GroupStats {
        key,
        tickets: n,
        served: tickets
            .iter()
            .filter(|t| t.status == TicketStatus::Finished)
            .count(),
        abandoned,
        abandonment_rate: if n == 0 {
            0.0
        } else {
            abandoned as f64 / n as f64
        },
        within_target: if waits.is_empty() {
            0.0
        } else {
            within as f64 / waits.len() as f64
        },
        service: Distribution::of(tickets.iter().filter_map(|t| service_of(t)).collect()),
        wait: Distribution::of(waits),
    }
}

fn grouped<F>(tickets: &[TicketRecord], target: i64, key: F) -> Vec<GroupStats>
where
    F: Fn(&TicketRecord) -> Option<String>,
{
    let mut groups: BTreeMap<String, Vec<&TicketRecord>> = BTreeMap::new();
    for t in tickets {
        if let Some(k) = key(t) {
            groups.entry(k).or_default().push(t);
        }
    }
    groups
        .into_iter()
        .map(|(k, ts)| group(k, &ts, target))
        .collect()
}

/// Computes the statistics of `tickets` (window numbers by counter id).
pub fn compute(
    from: &str,
    to: &str,
    tickets: &[TicketRecord],
    counter_numbers: &BTreeMap<i64, i64>,
    target_minutes: i64,
) -> HallStats {
    let all: Vec<&TicketRecord> = tickets.iter().collect();
    HallStats {
        from: from.to_owned(),
        to: to.to_owned(),
        target_minutes,
        total: group("all".to_owned(), &all, target_minutes),
        by_category: grouped(tickets, target_minutes, |t| Some(t.category.clone())),
        by_counter: grouped(tickets, target_minutes, |t| {
            t.counter_id
                .map(|c| format!("{:03}", counter_numbers.get(&c).copied().unwrap_or(c)))
        }),
        by_staff: grouped(tickets, target_minutes, |t| {
            t.staff_id.map(|s| s.to_string())
        }),
        by_hour: grouped(tickets, target_minutes, |t| {
            Some(format!("{:02}", beijing_minute(t.issued_at) / 60))
        }),
    }
}

impl App {
    /// Statistics of a hall for the days `from..=to` (needs `supervision.view`
    /// or `queue.operate` for the centre).
    pub async fn hall_stats(
        &self,
        who: &Principal,
        hall: &HallKey,
        from: &str,
        to: &str,
        target_minutes: i64,
    ) -> AppResult<HallStats> {
        let staff = who.staff()?;
        let place = self.hall_place(hall).await?;
        if staff
            .authorize(Permission::SupervisionView, &place.target())
            .is_err()
        {
            staff.authorize(Permission::QueueOperate, &place.target())?;
        }
        let tickets = self.store.tickets_between(hall, from, to).await?;
        let numbers = self
            .store
            .counters(hall)
            .await?
            .into_iter()
            .map(|c| (c.id, c.number))
            .collect();
        Ok(compute(from, to, &tickets, &numbers, target_minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let d = Distribution::of((1..=10).map(f64::from).collect());
        assert_eq!(d.count, 10);
        assert!((d.mean - 5.5).abs() < 1e-9);
        assert_eq!(d.p50, 5.0);
        assert_eq!(d.p90, 9.0);
        assert_eq!(d.max, 10.0);
        assert_eq!(Distribution::of(Vec::new()).count, 0);
    }
}
