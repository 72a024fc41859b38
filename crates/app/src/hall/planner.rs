//! The staffing planner (窗口排班): from the arrivals and service times a
//! hall recorded on a day, how many windows to open each hour to meet a
//! target (for example 90 % called within 20 minutes), by Erlang C, with a
//! discrete-event simulation of each hour's recorded demand as a check; and
//! what pooling the categories into comprehensive windows (综窗) saves
//! compared with dedicated windows per category.

use std::collections::BTreeMap;

use onetrip_domain::access::Permission;
use onetrip_domain::staffing::{Demand, Prediction, Simulation, erlang_c, recommend, simulate};
use onetrip_store::{HallKey, TicketRecord};
use serde::Serialize;

use super::{MINUTE_MICROS, beijing_minute};
use crate::App;
use crate::auth::Principal;
use crate::error::AppResult;

/// Opening hours of the halls (9:00–12:00 and 13:30–17:00), minutes after
/// midnight; arrival rates are per open hour.
pub const OPEN_PERIODS: &[(i64, i64)] = &[(9 * 60, 12 * 60), (13 * 60 + 30, 17 * 60)];

/// The planner's target and simulation settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlanTarget {
    /// The wait within which a visitor counts as served in time, minutes.
    pub target_minutes: f64,
    /// The share that must be within it.
    pub target_share: f64,
    /// The most windows the hall has.
    pub max_windows: u32,
    /// Simulated visitors per replication.
    pub customers: u32,
    /// Replications of the simulation.
    pub replications: u32,
    /// Seed of the simulation.
    pub seed: u64,
}

impl Default for PlanTarget {
    fn default() -> Self {
        Self {
            target_minutes: 20.0,
            target_share: 0.9,
            max_windows: 30,
            customers: 60_000,
            replications: 30,
            seed: 2026,
        }
    }
}

/// One category's demand and dedicated windows in an hour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryHour {
    /// Category code.
    pub category: String,
    /// Demand.
    pub demand: Demand,
    /// Dedicated windows recommended for it alone.
    pub windows: u32,
    /// Its mean wait with those windows, minutes.
    pub mean_wait_minutes: f64,
}

/// The plan of one hour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HourPlan {
    /// Hour of the day (Beijing).
    pub hour: i64,
    /// Minutes the hall is open in this hour.
    pub open_minutes: i64,
    /// Tickets issued in the hour.
    pub arrivals: usize,
    /// The pooled demand.
    pub demand: Demand,
    /// Windows recommended with pooled (comprehensive) windows, by Erlang C.
    pub pooled: Option<Prediction>,
    /// The simulation of the recommended pooled windows.
    pub simulation: Option<Simulation>,
    /// Whether Erlang C's mean wait lies within the simulation's 95 % interval.
    pub agrees: bool,
    /// Dedicated windows per category.
    pub dedicated: Vec<CategoryHour>,
    /// Windows with dedicated windows in total.
    pub dedicated_windows: u32,
    /// Mean wait with dedicated windows (arrival-weighted), minutes.
    pub dedicated_wait_minutes: f64,
    /// Mean wait when the same number of windows is pooled, minutes.
    pub pooled_wait_same_windows: Option<f64>,
}

/// The plan of a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayPlan {
    /// The day.
    pub day: String,
    /// The target.
    pub target: PlanTarget,
    /// Hours with arrivals.
    pub hours: Vec<HourPlan>,
    /// Window-hours with pooled windows.
    pub pooled_window_hours: u32,
    /// Window-hours with dedicated windows.
    pub dedicated_window_hours: u32,
}

fn open_minutes(hour: i64) -> i64 {
    OPEN_PERIODS
        .iter()
        .map(|(a, b)| (b.min(&((hour + 1) * 60)) - a.max(&(hour * 60))).max(0))
        .sum()
}

fn service_minutes(t: &TicketRecord) -> Option<f64> {
    Some((t.finished_at? - t.started_at?) as f64 / MINUTE_MICROS as f64)
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Plans a day from its recorded tickets.
pub fn plan_day(day: &str, tickets: &[TicketRecord], target: PlanTarget) -> DayPlan {
    let day_mean = mean(
        &tickets
            .iter()
            .filter_map(service_minutes)
            .collect::<Vec<_>>(),
    )
    .unwrap_or(6.0);
    let mut by_hour: BTreeMap<i64, Vec<&TicketRecord>> = BTreeMap::new();
    for t in tickets {
        by_hour
            .entry(beijing_minute(t.issued_at) / 60)
            .or_default()
            .push(t);
    }
    let mut hours = Vec::new();
    for (hour, ts) in by_hour {
        let open = open_minutes(hour);
        if open == 0 {
            continue;
        }
        let per_hour = |n: usize| n as f64 * 60.0 / open as f64;
        let hour_mean = |ts: &[&TicketRecord]| {
            let s: Vec<f64> = ts.iter().filter_map(|t| service_minutes(t)).collect();
            if s.len() >= 5 {
                mean(&s).unwrap_or(day_mean)
            } else {
                day_mean
            }
        };
        let demand = Demand {
            arrivals_per_hour: per_hour(ts.len()),
            mean_service_minutes: hour_mean(&ts),
        };
        let pooled = recommend(
            &demand,
            target.target_minutes,
            target.target_share,
            target.max_windows,
        );
        let simulation = pooled.and_then(|p| {
            simulate(
                &demand,
                p.windows,
                target.target_minutes,
                target.customers,
                target.replications,
                target.seed.wrapping_add(u64::try_from(hour).unwrap_or(0)),
            )
        });
        let agrees = match (pooled, simulation) {
            (Some(p), Some(s)) => {
                (p.mean_wait_minutes - s.mean_wait_minutes).abs() <= s.half_width_minutes
            }
            _ => false,
        };
        let mut cats: BTreeMap<&str, Vec<&TicketRecord>> = BTreeMap::new();
        for t in &ts {
            cats.entry(t.category.as_str()).or_default().push(t);
        }
        let dedicated: Vec<CategoryHour> = cats
            .into_iter()
            .map(|(c, cts)| {
                let d = Demand {
                    arrivals_per_hour: per_hour(cts.len()),
                    mean_service_minutes: hour_mean(&cts),
                };
                let p = recommend(
                    &d,
                    target.target_minutes,
                    target.target_share,
                    target.max_windows,
                );
                CategoryHour {
                    category: c.to_owned(),
                    demand: d,
                    windows: p.map_or(target.max_windows, |p| p.windows.max(1)),
                    mean_wait_minutes: p.map_or(f64::INFINITY, |p| p.mean_wait_minutes),
                }
            })
            .collect();
        let dedicated_windows: u32 = dedicated.iter().map(|c| c.windows).sum();
        let total_rate: f64 = dedicated.iter().map(|c| c.demand.arrivals_per_hour).sum();
        let dedicated_wait_minutes = if total_rate > 0.0 {
            dedicated
                .iter()
                .map(|c| c.demand.arrivals_per_hour * c.mean_wait_minutes)
                .sum::<f64>()
                / total_rate
        } else {
            0.0
        };
        let pooled_wait_same_windows = erlang_c(&demand, dedicated_windows, target.target_minutes)
            .map(|p| p.mean_wait_minutes);
        hours.push(HourPlan {
            hour,
            open_minutes: open,
            arrivals: ts.len(),
            demand,
            pooled,
            simulation,
            agrees,
            dedicated,
            dedicated_windows,
            dedicated_wait_minutes,
            pooled_wait_same_windows,
        });
    }
    DayPlan {
        day: day.to_owned(),
        target,
        pooled_window_hours: hours
            .iter()
            .filter_map(|h| h.pooled.map(|p| p.windows))
            .sum(),
        dedicated_window_hours: hours.iter().map(|h| h.dedicated_windows).sum(),
        hours,
    }
}

impl App {
    /// The staffing plan of a hall from the tickets it recorded on `day`
    /// (needs `supervision.view` for the centre).
    pub async fn staffing_plan(
        &self,
        who: &Principal,
        hall: &HallKey,
        day: &str,
        target: PlanTarget,
    ) -> AppResult<DayPlan> {
        let staff = who.staff()?;
        self.authorize_hall(staff, Permission::SupervisionView, hall)
            .await?;
        let tickets = self.store.tickets_between(hall, day, day).await?;
        Ok(plan_day(day, &tickets, target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_minutes_per_hour() {
        assert_eq!(open_minutes(8), 0);
        assert_eq!(open_minutes(9), 60);
        assert_eq!(open_minutes(12), 0);
        assert_eq!(open_minutes(13), 30);
        assert_eq!(open_minutes(16), 60);
        assert_eq!(open_minutes(17), 0);
    }
}
