//! How many demo cases end in which state, and a small deterministic
//! random source so that every demo run loads the same spread.

/// Where a demo case is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Goal {
    /// An online draft, partly filled.
    Draft,
    /// Submitted or received, waiting for the helper's pre-review.
    Submitted,
    /// A one-time correction notice waits for the applicant.
    CorrectionRequested,
    /// Refused, with reasons and where to go instead.
    Refused,
    /// Pre-review passed, waiting for acceptance.
    PreReviewed,
    /// Accepted, parts open in the department inboxes.
    ReviewOpen,
    /// Accepted, parts claimed or assigned, some commented or extended.
    ReviewClaimed,
    /// A hearing, test, expert review, site survey or public notice.
    Special,
    /// Suspended.
    Suspended,
    /// Withdrawn at some point before a decision.
    Withdrawn,
    /// Every part decided, result not yet signed.
    Decided,
    /// Result signed and issued.
    ResultIssued,
    /// On its way by courier or waiting at the window.
    InDelivery,
    /// Completed (picked up, delivered by courier, or electronically).
    Completed,
}

impl Goal {
    /// True when the case passes pre-review on the way.
    pub fn passes_pre_review(self) -> bool {
        self >= Self::PreReviewed && self != Self::Withdrawn
    }

    /// True when the case reaches a decision.
    pub fn is_decided(self) -> bool {
        self >= Self::Decided
    }
}

/// `(goal, number of cases)`: about 300 cases in every state.
pub const SPREAD: &[(Goal, usize)] = &[
    (Goal::Draft, 18),
    (Goal::Submitted, 24),
    (Goal::CorrectionRequested, 22),
    (Goal::Refused, 12),
    (Goal::PreReviewed, 22),
    (Goal::ReviewOpen, 26),
    (Goal::ReviewClaimed, 24),
    (Goal::Special, 12),
    (Goal::Suspended, 8),
    (Goal::Withdrawn, 14),
    (Goal::Decided, 14),
    (Goal::ResultIssued, 14),
    (Goal::InDelivery, 20),
    (Goal::Completed, 70),
];

/// A xorshift generator with a fixed seed: the same demo every time.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// The next raw value.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Every goal of [`SPREAD`], shuffled.
pub fn goals(rng: &mut Rng) -> Vec<Goal> {
    let mut out: Vec<Goal> = SPREAD
        .iter()
        .flat_map(|(g, n)| std::iter::repeat_n(*g, *n))
        .collect();
    for i in (1..out.len()).rev() {
        let j = rng.below(i + 1);
        out.swap(i, j);
    }
    out
}
