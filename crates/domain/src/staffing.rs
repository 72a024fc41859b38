//! Staffing the hall: how many windows to open for a target service level.
//!
//! The planner models one hour of one category (or a pooled 综窗 serving
//! several) as an M/M/c queue: Poisson arrivals at `arrivals_per_hour`,
//! exponential service with mean `mean_service_minutes`, `windows` servers,
//! first come first served. Erlang C gives the probability of waiting, the
//! mean wait and the share served within a target; a discrete-event
//! simulation of the same queue checks the formula. Everything is pure and
//! deterministic (the simulation takes its seed as a parameter).

use serde::Serialize;

/// Demand of one hour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Demand {
    /// Mean arrivals per hour.
    pub arrivals_per_hour: f64,
    /// Mean service time in minutes.
    pub mean_service_minutes: f64,
}

impl Demand {
    /// Offered load in Erlangs (busy windows needed on average).
    pub fn offered_load(&self) -> f64 {
        self.arrivals_per_hour * self.mean_service_minutes / 60.0
    }

    fn valid(&self) -> bool {
        self.arrivals_per_hour.is_finite()
            && self.mean_service_minutes.is_finite()
            && self.arrivals_per_hour >= 0.0
            && self.mean_service_minutes > 0.0
    }
}

/// What Erlang C predicts for a number of windows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prediction {
    /// Windows open.
    pub windows: u32,
    /// Share of time a window is busy.
    pub utilisation: f64,
    /// Probability that an arrival has to wait.
    pub probability_of_waiting: f64,
    /// Mean wait in minutes.
    pub mean_wait_minutes: f64,
    /// Share of arrivals served within the target wait.
    pub service_level: f64,
}

/// Erlang C for `windows` windows, or `None` when the queue is unstable
/// (the load reaches the number of windows) or the input is not a demand.
/// `target_minutes` is the wait within which the service level counts.
pub fn erlang_c(demand: &Demand, windows: u32, target_minutes: f64) -> Option<Prediction> {
    let a = demand.offered_load();
    let c = f64::from(windows);
    if !demand.valid() || windows == 0 || a >= c || !target_minutes.is_finite() {
        return None;
    }
    // Erlang B by recursion (numerically stable), then Erlang C from it.
    let mut b = 1.0;
    for k in 1..=windows {
        b = a * b / (f64::from(k) + a * b);
    }
    let wait_probability = c * b / (c - a * (1.0 - b));
    let mu = 1.0 / demand.mean_service_minutes;
    let drain = c * mu - demand.arrivals_per_hour / 60.0;
    Some(Prediction {
        windows,
        utilisation: a / c,
        probability_of_waiting: wait_probability,
        mean_wait_minutes: wait_probability / drain,
        service_level: 1.0 - wait_probability * (-drain * target_minutes.max(0.0)).exp(),
    })
}

/// The fewest windows (at most `max_windows`) whose service level reaches
/// `target_share` within `target_minutes`, with its prediction; `None` when
/// even `max_windows` do not reach it. No demand needs no window.
pub fn recommend(
    demand: &Demand,
    target_minutes: f64,
    target_share: f64,
    max_windows: u32,
) -> Option<Prediction> {
    if demand.valid() && demand.arrivals_per_hour == 0.0 {
        return erlang_c(demand, 1, target_minutes).map(|p| Prediction { windows: 0, ..p });
    }
    (1..=max_windows)
        .filter_map(|c| erlang_c(demand, c, target_minutes))
        .find(|p| p.service_level >= target_share)
}

/// A small deterministic random source (SplitMix64) for the simulation and
/// for generated demo data.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.unit().ln()
    }
}

/// The result of simulating the queue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Simulation {
    /// Mean wait in minutes over all replications.
    pub mean_wait_minutes: f64,
    /// Half-width of the 95 % confidence interval of the mean wait.
    pub half_width_minutes: f64,
    /// Share served within the target wait.
    pub service_level: f64,
    /// Replications run.
    pub replications: u32,
}

/// Simulates `replications` independent runs of `customers` arrivals each
/// (the first fifth of each run is warm-up and not counted, so the empty start does not bias a busy hour) through
/// `windows` first-come-first-served windows; `None` for no windows or no
/// valid demand.
pub fn simulate(
    demand: &Demand,
    windows: u32,
    target_minutes: f64,
    customers: u32,
    replications: u32,
    seed: u64,
) -> Option<Simulation> {
    if !demand.valid() || windows == 0 || demand.arrivals_per_hour <= 0.0 || replications < 2 {
        return None;
    }
    let mut rng = SplitMix(seed);
    let gap = 60.0 / demand.arrivals_per_hour;
    let warm_up = customers / 5;
    let mut means = Vec::with_capacity(replications as usize);
    let mut within = 0u64;
    let mut counted = 0u64;
    for _ in 0..replications {
        let mut free_at = vec![0.0_f64; windows as usize];
        let mut now = 0.0;
        let mut total = 0.0;
        let mut n = 0u32;
        for i in 0..customers {
            now += rng.exponential(gap);
            let (slot, earliest) =
                free_at
                    .iter()
                    .copied()
                    .enumerate()
                    .fold(
                        (0, f64::INFINITY),
                        |best, (j, t)| if t < best.1 { (j, t) } else { best },
                    );
            let start = now.max(earliest);
            let wait = start - now;
            if let Some(f) = free_at.get_mut(slot) {
                *f = start + rng.exponential(demand.mean_service_minutes);
            }
            if i >= warm_up {
                total += wait;
                n += 1;
                counted += 1;
                within += u64::from(wait <= target_minutes);
            }
        }
        means.push(total / f64::from(n.max(1)));
    }
    let r = f64::from(replications);
    let mean = means.iter().sum::<f64>() / r;
    let variance = means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (r - 1.0);
    Some(Simulation {
        mean_wait_minutes: mean,
        half_width_minutes: t_975(replications - 1) * (variance / r).sqrt(),
        service_level: within as f64 / counted.max(1) as f64,
        replications,
    })
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom.
fn t_975(df: u32) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        d if d <= 30 => TABLE[(d - 1) as usize],
        _ => 1.96,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HALL: Demand = Demand {
        arrivals_per_hour: 90.0,
        mean_service_minutes: 4.0,
    };

    #[test]
    fn erlang_c_matches_known_values() {
        // a = 6 Erlangs on 8 windows: the closed form
        // (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)) = 0.35698.
        let p = erlang_c(&HALL, 8, 1.0).unwrap();
        assert!((p.probability_of_waiting - 0.35698).abs() < 1e-4, "{p:?}");
        assert!((p.utilisation - 0.75).abs() < 1e-12);
        // Wq = C / (cμ − λ) = 0.35698 / (2 − 1.5) per minute.
        assert!((p.mean_wait_minutes - 0.71396).abs() < 1e-4, "{p:?}");
        assert!(
            erlang_c(&HALL, 6, 1.0).is_none(),
            "load equal to windows is unstable"
        );
        assert!(erlang_c(&HALL, 0, 1.0).is_none());
    }

    #[test]
    fn recommends_the_fewest_windows_meeting_the_target() {
        let p = recommend(&HALL, 20.0, 0.9, 50).unwrap();
        assert_eq!(p.windows, 7);
        assert!(p.service_level >= 0.9);
        assert!(erlang_c(&HALL, 6, 20.0).is_none());
        // A stricter target needs more windows.
        let strict = recommend(&HALL, 1.0, 0.95, 50).unwrap();
        assert!(strict.windows > p.windows);
        let none = Demand {
            arrivals_per_hour: 0.0,
            mean_service_minutes: 5.0,
        };
        assert_eq!(recommend(&none, 20.0, 0.9, 10).map(|p| p.windows), Some(0));
        assert!(
            recommend(&HALL, 0.0, 1.1, 50).is_none(),
            "unreachable target"
        );
    }

    #[test]
    fn the_simulation_agrees_with_erlang_c_within_its_confidence_interval() {
        for windows in [7, 8, 10] {
            let formula = erlang_c(&HALL, windows, 5.0).unwrap();
            let sim = simulate(&HALL, windows, 5.0, 20_000, 20, 2026).unwrap();
            assert!(
                (sim.mean_wait_minutes - formula.mean_wait_minutes).abs() <= sim.half_width_minutes,
                "{windows} windows: simulated {sim:?}, Erlang C {formula:?}"
            );
            assert!((sim.service_level - formula.service_level).abs() < 0.02);
        }
    }

    #[test]
    fn the_simulation_is_deterministic_for_a_seed() {
        let a = simulate(&HALL, 8, 5.0, 2_000, 5, 7);
        assert_eq!(a, simulate(&HALL, 8, 5.0, 2_000, 5, 7));
        assert_ne!(a, simulate(&HALL, 8, 5.0, 2_000, 5, 8));
        assert!(simulate(&HALL, 0, 5.0, 100, 5, 1).is_none());
    }
}
