//! The service hall's queue (排队叫号): tickets, priority classes, work
//! profiles (窗口业务配置, 一窗多用) and the rule that decides which ticket a
//! window calls next.
//!
//! Business rules:
//! - A ticket is numbered per hall, category and Beijing day: the category's
//!   letter and a three-digit sequence (`A001`), starting again every day.
//! - Priority classes (appointment, green channel for the elderly, the
//!   disabled and key enterprises) get a head start of a fixed number of
//!   minutes, never more: an ordinary ticket can only be overtaken by a
//!   priority ticket issued at most that many minutes after it.
//! - After `max_priority_streak` priority calls in a row at one window, the
//!   window calls an ordinary ticket when one is waiting.
//! - A ticket waiting longer than `aging_minutes` is called before any other
//!   of the window's categories, whatever the profile's order or weights.
//! - A ticket transferred to one window is called first by that window and
//!   by no other. A transfer keeps the original waiting start.

use serde::{Deserialize, Serialize};

use crate::ValidationErrors;
use crate::catalogue::{Module, code_enum};

code_enum! {
    /// 优先类别: the priority class of a ticket.
    Priority {
        /// 普通
        Ordinary = "ordinary", "普通", "Ordinary";
        /// 预约
        Appointment = "appointment", "预约", "Appointment";
        /// 绿色通道（老年人、残疾人、重点企业）
        Green = "green", "绿色通道", "Green channel";
    }
}

code_enum! {
    /// Why a ticket is in the green channel.
    GreenReason {
        /// 老年人（60 岁以上）
        Elderly = "elderly", "老年人", "Elderly person";
        /// 残疾人
        Disabled = "disabled", "残疾人", "Person with a disability";
        /// 重点企业
        KeyEnterprise = "key_enterprise", "重点企业", "Key enterprise";
        /// 孕妇及怀抱婴儿者
        Pregnant = "pregnant", "孕妇及怀抱婴儿者", "Pregnant or carrying an infant";
    }
}

code_enum! {
    /// Where a ticket was issued.
    TicketSource {
        /// 自助取号机
        Kiosk = "kiosk", "自助取号", "Kiosk";
        /// 导服台
        Reception = "reception", "导服台取号", "Reception desk";
        /// 预约签到
        Appointment = "appointment", "预约签到", "Appointment check-in";
        /// 窗口直接受理
        WalkIn = "walk_in", "窗口直接办理", "Walk-in at the window";
    }
}

code_enum! {
    /// 排队号状态.
    TicketStatus {
        /// 等候中
        Waiting = "waiting", "等候中", "Waiting";
        /// 已叫号
        Called = "called", "已叫号", "Called";
        /// 办理中
        Serving = "serving", "办理中", "Being served";
        /// 暂挂（如补复印件），回到原窗口继续
        Parked = "parked", "暂挂", "Parked";
        /// 已办结
        Finished = "finished", "已完成", "Finished";
        /// 过号未到
        NoShow = "no_show", "过号", "No-show";
        /// 当日未叫即离开（日终关闭）
        Abandoned = "abandoned", "未办理离开", "Left without service";
    }
}

code_enum! {
    /// The outcome recorded when a window finishes a ticket.
    Outcome {
        /// 已收件 / 已受理（通常关联办件）
        Received = "received", "已收件", "Application received";
        /// 当场办结
        Completed = "completed", "当场办结", "Completed on the spot";
        /// 咨询
        Consulted = "consulted", "咨询解答", "Consultation answered";
        /// 材料不全，一次性告知
        Incomplete = "incomplete", "材料不全，已一次性告知", "Materials incomplete, told once";
        /// 引导至其他窗口或部门
        Referred = "referred", "引导至他处", "Referred elsewhere";
    }
}

code_enum! {
    /// How a work profile orders its categories.
    ProfileMode {
        /// 按顺序：先叫排在前面的类别
        Ordered = "ordered", "按顺序", "In order";
        /// 按权重：等候时间乘以类别权重
        Weighted = "weighted", "按权重", "By weight";
    }
}

code_enum! {
    /// 预约状态.
    AppointmentStatus {
        /// 已预约
        Booked = "booked", "已预约", "Booked";
        /// 已取消
        Cancelled = "cancelled", "已取消", "Cancelled";
        /// 已签到
        CheckedIn = "checked_in", "已签到", "Checked in";
        /// 爽约
        NoShow = "no_show", "爽约", "Missed";
    }
}

impl TicketStatus {
    /// A ticket a window is dealing with now (at most one per window).
    pub fn is_current(self) -> bool {
        matches!(self, Self::Called | Self::Serving)
    }

    /// A ticket whose visit is over.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Finished | Self::NoShow | Self::Abandoned)
    }
}

/// A service category of a hall (one letter, one number series).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// One upper-case letter, the number prefix (`A`).
    pub code: String,
    /// The approval module the category belongs to.
    pub module: Module,
    /// Chinese name, for example 商事登记.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
}

impl Category {
    /// Validates a category definition.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if !is_category_code(&self.code) {
            errors.push("code", "invalid_category", "类别代码应为一个大写字母 A–Z");
        }
        if self.name_zh.trim().is_empty() {
            errors.push("name_zh", "required", "请填写类别中文名称");
        }
        if self.name_en.trim().is_empty() {
            errors.push("name_en", "required", "请填写类别英文名称");
        }
        errors.finish(())
    }
}

/// True for a valid category code: one letter A–Z.
pub fn is_category_code(code: &str) -> bool {
    code.len() == 1 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The printed ticket number: the category letter and three digits
/// (`A001`); past 999 the sequence simply grows (`A1000`).
pub fn ticket_number(category: &str, seq: i64) -> String {
    format!("{category}{seq:03}")
}

/// One category a window calls, with its weight in weighted mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileEntry {
    /// The category code.
    pub category: String,
    /// Relative weight, 1–10 (only used in weighted mode).
    #[serde(default = "default_weight")]
    pub weight: u32,
}

fn default_weight() -> u32 {
    1
}

/// 窗口业务配置: which categories a window calls and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkProfile {
    /// Ordered or weighted.
    pub mode: ProfileMode,
    /// The categories, in order.
    pub entries: Vec<ProfileEntry>,
}

impl WorkProfile {
    /// Validates the profile against the hall's categories: at least one
    /// entry, known categories, no repeats, weights 1–10.
    pub fn validate(&self, categories: &[String]) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.entries.is_empty() {
            errors.push("entries", "required", "窗口至少应办理一个业务类别");
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if !categories.iter().any(|c| c == &e.category) {
                errors.push(
                    format!("entries[{i}].category"),
                    "unknown_category",
                    format!("大厅没有业务类别 {}", e.category),
                );
            }
            if seen.contains(&e.category.as_str()) {
                errors.push(
                    format!("entries[{i}].category"),
                    "duplicate",
                    format!("业务类别 {} 重复", e.category),
                );
            }
            seen.push(&e.category);
            if !(1..=10).contains(&e.weight) {
                errors.push(
                    format!("entries[{i}].weight"),
                    "out_of_range",
                    "权重应为 1–10",
                );
            }
        }
        errors.finish(())
    }

    /// Whether the window calls this category.
    pub fn serves(&self, category: &str) -> bool {
        self.entries.iter().any(|e| e.category == category)
    }

    fn rank(&self, category: &str) -> Option<(usize, u32)> {
        self.entries
            .iter()
            .enumerate()
            .find(|(_, e)| e.category == category)
            .map(|(i, e)| (i, e.weight))
    }
}

/// The hall's queue rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRules {
    /// Head start of a checked-in appointment, minutes.
    pub appointment_head_start_minutes: i64,
    /// Head start of the green channel, minutes.
    pub green_head_start_minutes: i64,
    /// Priority calls in a row after which an ordinary ticket goes next.
    pub max_priority_streak: u32,
    /// A ticket waiting this long is called before all others.
    pub aging_minutes: i64,
    /// Tickets ahead at which the holder is told their turn is near.
    pub near_position: i64,
}

impl Default for QueueRules {
    fn default() -> Self {
        Self {
            appointment_head_start_minutes: 15,
            green_head_start_minutes: 30,
            max_priority_streak: 3,
            aging_minutes: 45,
            near_position: 3,
        }
    }
}

impl QueueRules {
    /// The head start of a priority class, in microseconds.
    pub fn head_start_micros(&self, priority: Priority) -> i64 {
        let minutes = match priority {
            Priority::Ordinary => 0,
            Priority::Appointment => self.appointment_head_start_minutes,
            Priority::Green => self.green_head_start_minutes,
        };
        minutes * 60_000_000
    }
}

/// What the call rule needs to know of a waiting ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingTicket {
    /// Ticket id.
    pub id: i64,
    /// Category code.
    pub category: String,
    /// Priority class.
    pub priority: Priority,
    /// When the wait started (kept across transfers), microseconds.
    pub queued_at: i64,
    /// The one window this ticket was transferred to, if any.
    pub target_counter: Option<i64>,
}

/// Chooses the ticket window `counter_id` calls next, or `None` when none of
/// its tickets waits. `priority_streak` is the number of priority tickets
/// the window called in a row. See the module documentation for the rules.
pub fn pick_next(
    rules: &QueueRules,
    profile: &WorkProfile,
    counter_id: i64,
    priority_streak: u32,
    waiting: &[WaitingTicket],
    now: i64,
) -> Option<i64> {
    // 1. Transferred to this very window: oldest first.
    if let Some(t) = waiting
        .iter()
        .filter(|t| t.target_counter == Some(counter_id))
        .min_by_key(|t| (t.queued_at, t.id))
    {
        return Some(t.id);
    }
    let eligible: Vec<&WaitingTicket> = waiting
        .iter()
        .filter(|t| t.target_counter.is_none() && profile.serves(&t.category))
        .collect();
    // 2. Aged tickets, oldest first.
    let aging = rules.aging_minutes * 60_000_000;
    if let Some(t) = eligible
        .iter()
        .filter(|t| now - t.queued_at >= aging)
        .min_by_key(|t| (t.queued_at, t.id))
    {
        return Some(t.id);
    }
    // 3. The streak cap: an ordinary ticket after too many priority calls.
    let pool: Vec<&WaitingTicket> = if priority_streak >= rules.max_priority_streak
        && eligible.iter().any(|t| t.priority == Priority::Ordinary)
    {
        eligible
            .into_iter()
            .filter(|t| t.priority == Priority::Ordinary)
            .collect()
    } else {
        eligible
    };
    // 4. The profile's order or weights over the effective wait.
    let effective = |t: &WaitingTicket| now - t.queued_at + rules.head_start_micros(t.priority);
    match profile.mode {
        ProfileMode::Ordered => pool
            .iter()
            .filter_map(|t| profile.rank(&t.category).map(|(r, _)| (r, t)))
            .min_by_key(|(r, t)| (*r, -effective(t), t.queued_at, t.id))
            .map(|(_, t)| t.id),
        ProfileMode::Weighted => pool
            .iter()
            .filter_map(|t| {
                profile.rank(&t.category).map(|(_, w)| {
                    // Waits below a minute still count, so weights order
                    // fresh tickets too.
                    let score = i128::from(effective(t).max(0) + 1) * i128::from(w);
                    (score, t)
                })
            })
            .max_by_key(|(score, t)| (*score, -t.queued_at, -t.id))
            .map(|(_, t)| t.id),
    }
}

/// The position of a waiting ticket in its category: 1 when it is the next
/// one its category calls (ordered by effective wait; transferred and
/// aged tickets are not modelled). `None` when the ticket is not waiting.
pub fn position_in_category(
    rules: &QueueRules,
    waiting: &[WaitingTicket],
    ticket_id: i64,
    now: i64,
) -> Option<i64> {
    let me = waiting.iter().find(|t| t.id == ticket_id)?;
    let key = |t: &WaitingTicket| {
        (
            -(now - t.queued_at + rules.head_start_micros(t.priority)),
            t.id,
        )
    };
    let mine = key(me);
    let ahead = waiting
        .iter()
        .filter(|t| t.category == me.category && t.id != me.id && key(t) < mine)
        .count();
    i64::try_from(ahead).ok().map(|a| a + 1)
}

/// The booking rule for repeated no-shows: an applicant with
/// `NO_SHOW_LIMIT` missed appointments within `NO_SHOW_WINDOW_DAYS` may not
/// book for `NO_SHOW_BLOCK_DAYS` after the last one.
pub const NO_SHOW_LIMIT: i64 = 3;
/// The look-back window of the no-show rule, days.
pub const NO_SHOW_WINDOW_DAYS: i64 = 90;
/// How long booking stays closed after the limit is reached, days.
pub const NO_SHOW_BLOCK_DAYS: i64 = 30;
/// Check-in opens this many minutes before the slot starts.
pub const CHECK_IN_EARLY_MINUTES: i64 = 30;

/// When a check-in happens relative to its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckInTiming {
    /// Earlier than the check-in window: refused.
    TooEarly,
    /// Within the window: the ticket gets appointment priority.
    OnTime,
    /// After the slot ended: an ordinary ticket.
    Late,
}

/// Classifies a check-in at `now` for a slot `[start, end)` (microseconds).
pub fn check_in_timing(start: i64, end: i64, now: i64) -> CheckInTiming {
    if now < start - CHECK_IN_EARLY_MINUTES * 60_000_000 {
        CheckInTiming::TooEarly
    } else if now < end {
        CheckInTiming::OnTime
    } else {
        CheckInTiming::Late
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000_000;

    fn t(id: i64, cat: &str, p: Priority, queued_min: i64) -> WaitingTicket {
        WaitingTicket {
            id,
            category: cat.to_owned(),
            priority: p,
            queued_at: queued_min * MIN,
            target_counter: None,
        }
    }

    fn profile(mode: ProfileMode, cats: &[(&str, u32)]) -> WorkProfile {
        WorkProfile {
            mode,
            entries: cats
                .iter()
                .map(|(c, w)| ProfileEntry {
                    category: (*c).to_owned(),
                    weight: *w,
                })
                .collect(),
        }
    }

    #[test]
    fn numbers_are_letter_and_three_digits() {
        assert_eq!(ticket_number("A", 1), "A001");
        assert_eq!(ticket_number("C", 42), "C042");
        assert_eq!(ticket_number("B", 1234), "B1234");
        assert!(is_category_code("A"));
        assert!(!is_category_code("a"));
        assert!(!is_category_code("AB"));
    }

    #[test]
    fn head_start_is_bounded_so_ordinary_tickets_do_not_starve() {
        let rules = QueueRules::default();
        let p = profile(ProfileMode::Ordered, &[("A", 1)]);
        // Ordinary since minute 0; green since minute 20 (head start 30).
        let waiting = vec![
            t(1, "A", Priority::Ordinary, 0),
            t(2, "A", Priority::Green, 20),
        ];
        assert_eq!(pick_next(&rules, &p, 9, 0, &waiting, 25 * MIN), Some(2));
        // A green ticket issued 40 minutes after the ordinary one waits.
        let waiting = vec![
            t(1, "A", Priority::Ordinary, 0),
            t(2, "A", Priority::Green, 40),
        ];
        assert_eq!(pick_next(&rules, &p, 9, 0, &waiting, 41 * MIN), Some(1));
    }

    #[test]
    fn streak_cap_calls_an_ordinary_ticket() {
        let rules = QueueRules::default();
        let p = profile(ProfileMode::Ordered, &[("A", 1)]);
        let waiting = vec![
            t(1, "A", Priority::Ordinary, 10),
            t(2, "A", Priority::Appointment, 12),
        ];
        assert_eq!(pick_next(&rules, &p, 9, 2, &waiting, 13 * MIN), Some(2));
        assert_eq!(pick_next(&rules, &p, 9, 3, &waiting, 13 * MIN), Some(1));
    }

    #[test]
    fn ordered_profile_prefers_earlier_categories_until_aging() {
        let rules = QueueRules::default();
        let p = profile(ProfileMode::Ordered, &[("A", 1), ("D", 1)]);
        let waiting = vec![
            t(1, "D", Priority::Ordinary, 0),
            t(2, "A", Priority::Ordinary, 30),
        ];
        assert_eq!(pick_next(&rules, &p, 9, 0, &waiting, 31 * MIN), Some(2));
        // D has waited 45 minutes: aging wins over the order.
        assert_eq!(pick_next(&rules, &p, 9, 0, &waiting, 45 * MIN), Some(1));
    }

    #[test]
    fn weighted_profile_multiplies_waits() {
        let rules = QueueRules::default();
        let p = profile(ProfileMode::Weighted, &[("A", 3), ("D", 1)]);
        let waiting = vec![
            t(1, "D", Priority::Ordinary, 0),
            t(2, "A", Priority::Ordinary, 10),
        ];
        // D waited 20, A waited 10 × 3 = 30.
        assert_eq!(pick_next(&rules, &p, 9, 0, &waiting, 20 * MIN), Some(2));
        let waiting = vec![
            t(1, "D", Priority::Ordinary, 0),
            t(2, "A", Priority::Ordinary, 30),
        ];
        // D waited 40, A waited 10 × 3 = 30.
        assert_eq!(pick_next(&rules, &p, 9, 0, &waiting, 40 * MIN), Some(1));
    }

    #[test]
    fn transfers_go_to_their_window_only_and_categories_outside_the_profile_are_never_called() {
        let rules = QueueRules::default();
        let p = profile(ProfileMode::Ordered, &[("A", 1)]);
        let mut moved = t(3, "B", Priority::Ordinary, 5);
        moved.target_counter = Some(9);
        let waiting = vec![
            t(1, "A", Priority::Ordinary, 0),
            moved.clone(),
            t(4, "B", Priority::Ordinary, 0),
        ];
        assert_eq!(pick_next(&rules, &p, 9, 0, &waiting, 10 * MIN), Some(3));
        assert_eq!(pick_next(&rules, &p, 8, 0, &waiting, 10 * MIN), Some(1));
        assert_eq!(
            pick_next(
                &rules,
                &p,
                8,
                0,
                &[moved, t(4, "B", Priority::Ordinary, 0)],
                10 * MIN
            ),
            None
        );
    }

    #[test]
    fn positions_follow_effective_wait() {
        let rules = QueueRules::default();
        let waiting = vec![
            t(1, "A", Priority::Ordinary, 0),
            t(2, "A", Priority::Ordinary, 5),
            t(3, "A", Priority::Green, 10),
            t(4, "D", Priority::Ordinary, 0),
        ];
        assert_eq!(position_in_category(&rules, &waiting, 3, 12 * MIN), Some(1));
        assert_eq!(position_in_category(&rules, &waiting, 2, 12 * MIN), Some(3));
        assert_eq!(position_in_category(&rules, &waiting, 4, 12 * MIN), Some(1));
        assert_eq!(position_in_category(&rules, &waiting, 99, 12 * MIN), None);
    }

    #[test]
    fn profiles_are_validated_against_the_hall() {
        let cats = vec!["A".to_owned(), "B".to_owned()];
        let bad = profile(ProfileMode::Weighted, &[("A", 0), ("Z", 1), ("A", 2)]);
        let err = bad.validate(&cats).unwrap_err();
        let paths: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(paths.contains(&"entries[0].weight"));
        assert!(paths.contains(&"entries[1].category"));
        assert!(paths.contains(&"entries[2].category"));
        assert!(profile(ProfileMode::Ordered, &[]).validate(&cats).is_err());
        assert!(
            profile(ProfileMode::Ordered, &[("B", 1)])
                .validate(&cats)
                .is_ok()
        );
    }

    #[test]
    fn check_in_window() {
        let start = 100 * MIN;
        let end = 130 * MIN;
        assert_eq!(
            check_in_timing(start, end, 60 * MIN),
            CheckInTiming::TooEarly
        );
        assert_eq!(check_in_timing(start, end, 75 * MIN), CheckInTiming::OnTime);
        assert_eq!(
            check_in_timing(start, end, 129 * MIN),
            CheckInTiming::OnTime
        );
        assert_eq!(check_in_timing(start, end, 130 * MIN), CheckInTiming::Late);
    }
}
