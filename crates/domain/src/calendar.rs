//! The Chinese working-day calendar (工作日) and the pausable statutory clock.
//!
//! Business rules:
//! - A day is a working day when it is Monday–Friday and not a public holiday,
//!   or when it is a make-up workday (调休上班, usually a Saturday or Sunday)
//!   named in the State Council's yearly holiday notice.
//! - Dates are Asia/Shanghai calendar dates; nothing here reads the clock.
//! - The start day of a period is not counted (期间开始之日不计算在内): "N
//!   working days from D" is the N-th working day strictly after D.
//! - A year without an imported notice is computed on weekends only, and every
//!   result that touches such a year is flagged `provisional`.
//! - Nothing panics: dates beyond what can be computed give
//!   [`CalendarError::OutOfRange`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month, Weekday};

use crate::ValidationErrors;
use crate::text::Text;

/// The longest holiday period a notice may contain, in calendar days.
pub const MAX_PERIOD_DAYS: i64 = 15;

/// The largest working-day count the calendar computes (about 14 years);
/// anything larger is certainly a data error and gives `OutOfRange`.
pub const MAX_WORKING_DAYS: u32 = 3650;

/// The longest span, in calendar days, the calendar walks through (about 20
/// years, leaving room for pauses); longer spans give `OutOfRange`.
pub const MAX_SPAN_DAYS: i64 = 7305;

/// The holiday notices shipped with OneTrip, in the import format of
/// [`parse_notice`] (a JSON array of notices).
const BUILTIN_NOTICES: &str = include_str!("calendar_notices.json");

/// One holiday period of a notice (for example 春节), both ends inclusive.
///
/// `from` may lie in December of the previous year (the 2024 notice's 元旦 ran
/// 2023-12-30..2024-01-01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayPeriod {
    /// The holiday's name.
    pub name: Text,
    /// First day off (ISO date).
    pub from: Date,
    /// Last day off (ISO date, inclusive).
    pub to: Date,
}

/// The State Council's yearly notice of public holidays and make-up workdays
/// (国务院办公厅关于某年部分节假日安排的通知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayNotice {
    /// The year the notice governs (2000..=2100).
    pub year: i32,
    /// The notice's document number, for example `国办发明电〔2025〕7号`.
    pub source: String,
    /// The holiday periods, not overlapping.
    pub holidays: Vec<HolidayPeriod>,
    /// Weekend days that are worked (调休上班), all inside `year`.
    pub makeup_workdays: Vec<Date>,
}

impl HolidayNotice {
    /// Validates the notice, collecting every problem with its field path
    /// (such as `holidays[2].to` or `makeup_workdays[0]`).
    ///
    /// Rules: the year is 2000..=2100; the source is given; each period has a
    /// Chinese name, `from <= to` and at most [`MAX_PERIOD_DAYS`] days, all
    /// between 1 December of the previous year and 31 December of `year`;
    /// periods do not overlap; make-up days lie inside `year`, are Saturdays
    /// or Sundays, are not listed twice and are not holidays.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let window = notice_window(self.year);
        if window.is_none() {
            errors.push(
                "year",
                "out_of_range",
                "年份应在 2000 至 2100 之间 / the year must be between 2000 and 2100",
            );
        }
        if self.source.trim().is_empty() {
            errors.push(
                "source",
                "required",
                "通知文号必填 / the notice's document number is required",
            );
        }
        for (i, period) in self.holidays.iter().enumerate() {
            validate_period(&mut errors, &format!("holidays[{i}]"), period, window);
        }
        self.validate_overlaps(&mut errors);
        self.validate_makeup_days(&mut errors);
        errors.finish(())
    }

    /// Reports every period that overlaps an earlier one in the list.
    fn validate_overlaps(&self, errors: &mut ValidationErrors) {
        for (j, later) in self.holidays.iter().enumerate() {
            let overlaps = self.holidays[..j].iter().any(|earlier| {
                earlier.from <= earlier.to && later.from <= earlier.to && earlier.from <= later.to
            });
            if later.from <= later.to && overlaps {
                errors.push(
                    format!("holidays[{j}]"),
                    "overlap",
                    "节假日期间相互重叠 / holiday periods overlap",
                );
            }
        }
    }

    /// Reports make-up days outside the year, on weekdays, duplicated or on a holiday.
    fn validate_makeup_days(&self, errors: &mut ValidationErrors) {
        let mut seen = BTreeSet::new();
        for (i, &day) in self.makeup_workdays.iter().enumerate() {
            let field = format!("makeup_workdays[{i}]");
            if day.year() != self.year {
                errors.push(
                    field.as_str(),
                    "outside_year",
                    "调休上班日应在通知年度内 / a make-up workday must lie in the notice's year",
                );
            }
            if !is_weekend(day) {
                errors.push(
                    field.as_str(),
                    "not_weekend",
                    "调休上班日应为周六或周日 / a make-up workday must be a Saturday or Sunday",
                );
            }
            if !seen.insert(day) {
                errors.push(
                    field.as_str(),
                    "duplicate",
                    "调休上班日重复 / the make-up workday is listed twice",
                );
            }
            if self.holidays.iter().any(|p| p.from <= day && day <= p.to) {
                errors.push(
                    field.as_str(),
                    "holiday_conflict",
                    "调休上班日不能同时是节假日 / a make-up workday cannot also be a holiday",
                );
            }
        }
    }
}

/// The days a notice for `year` may cover: 1 December of the previous year to
/// 31 December of `year`; `None` when the year is outside 2000..=2100.
fn notice_window(year: i32) -> Option<(Date, Date)> {
    if !(2000..=2100).contains(&year) {
        return None;
    }
    let first = Date::from_calendar_date(year - 1, Month::December, 1).ok()?;
    let last = Date::from_calendar_date(year, Month::December, 31).ok()?;
    Some((first, last))
}

/// Validates one holiday period under the field path `at`.
fn validate_period(
    errors: &mut ValidationErrors,
    at: &str,
    period: &HolidayPeriod,
    window: Option<(Date, Date)>,
) {
    if let Err(e) = period.name.validate(20, false) {
        errors.extend_prefixed(&format!("{at}.name"), e);
    }
    if period.from > period.to {
        errors.push(
            format!("{at}.to"),
            "before_start",
            "结束日期早于开始日期 / the last day is before the first day",
        );
    } else if (period.to - period.from).whole_days() + 1 > MAX_PERIOD_DAYS {
        errors.push(
            format!("{at}.to"),
            "too_long",
            format!(
                "节假日期间不能超过 {MAX_PERIOD_DAYS} 天 / a holiday period lasts at most {MAX_PERIOD_DAYS} days"
            ),
        );
    }
    if let Some((first, last)) = window {
        let message = "节假日应在上年12月1日至本年12月31日之间 / holidays must lie between 1 December of the previous year and 31 December of the year";
        if period.from < first || period.from > last {
            errors.push(format!("{at}.from"), "outside_year", message);
        }
        if period.to < first || period.to > last {
            errors.push(format!("{at}.to"), "outside_year", message);
        }
    }
}

/// Parses and validates one holiday notice in the import format.
///
/// The format is a JSON object with dates as `"YYYY-MM-DD"` strings; unknown
/// fields are refused so that a misspelt key cannot silently drop data:
///
/// ```json
/// {"year":2026,"source":"国办发明电〔2025〕7号",
///  "holidays":[{"name":{"zh":"元旦","en":"New Year's Day"},
///               "from":"2026-01-01","to":"2026-01-03"}],
///  "makeup_workdays":["2026-01-04"]}
/// ```
///
/// Malformed JSON gives one error with field `""` and code `invalid_json`;
/// otherwise every rule of [`HolidayNotice::validate`] is checked.
pub fn parse_notice(json: &str) -> Result<HolidayNotice, ValidationErrors> {
    let notice: HolidayNotice = serde_json::from_str(json).map_err(|e| {
        ValidationErrors::single(
            "",
            "invalid_json",
            format!("节假日通知格式错误 / the notice is not valid JSON: {e}"),
        )
    })?;
    notice.validate()?;
    Ok(notice)
}

/// The notices shipped with OneTrip (2024, 2025 and 2026), read from
/// `calendar_notices.json` in the import format.
///
/// A shipped notice that fails to parse or validate is left out rather than
/// trusted; its year is then computed on weekends only and flagged
/// provisional (a test guards that all of them load).
pub fn builtin_notices() -> Vec<HolidayNotice> {
    serde_json::from_str::<Vec<HolidayNotice>>(BUILTIN_NOTICES)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.validate().is_ok())
        .collect()
}

/// A computed value and whether it is provisional, i.e. depends on a year for
/// which no holiday notice has been imported (computed on weekends only and
/// liable to change once the notice is published).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Computed<T> {
    /// The value.
    pub value: T,
    /// True when a year without a notice was involved.
    pub provisional: bool,
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Monday–Friday, not a holiday: a working day.
    Workday,
    /// Saturday or Sunday, not a make-up workday: not a working day.
    Weekend,
    /// A public holiday of a notice (see [`WorkCalendar::holiday_name`]): not a working day.
    Holiday,
    /// A weekend day worked under a notice (调休上班): a working day.
    MakeupWorkday,
}

impl DayKind {
    /// The stable code used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Workday => "workday",
            DayKind::Weekend => "weekend",
            DayKind::Holiday => "holiday",
            DayKind::MakeupWorkday => "makeup_workday",
        }
    }

    /// True for the kinds that are counted as working days.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeupWorkday)
    }
}

/// Why a calendar computation could not be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date arithmetic left the representable date range, or exceeded
    /// [`MAX_WORKING_DAYS`] / [`MAX_SPAN_DAYS`].
    #[error("日期超出可计算范围 / date out of range")]
    OutOfRange,
}

/// A working-day calendar built from holiday notices, at most one per year.
///
/// The default calendar has no notices: every year is weekends-only and
/// every result is provisional.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    notices: BTreeMap<i32, HolidayNotice>,
}

impl WorkCalendar {
    /// Builds a calendar from notices; a later notice for the same year
    /// replaces an earlier one. Callers pass validated notices (from
    /// [`parse_notice`] or [`builtin_notices`]); should a day still be both a
    /// holiday and a make-up day, the holiday wins.
    pub fn new(notices: &[HolidayNotice]) -> Self {
        let notices = notices.iter().map(|n| (n.year, n.clone())).collect();
        Self { notices }
    }

    /// The calendar of the shipped notices ([`builtin_notices`]).
    pub fn builtin() -> Self {
        Self::new(&builtin_notices())
    }

    /// True when a notice for `year` is loaded (its results are not provisional).
    pub fn has_notice(&self, year: i32) -> bool {
        self.notices.contains_key(&year)
    }

    /// The years with a loaded notice, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.notices.keys().copied().collect()
    }

    /// The notices that can speak about `date`: its own year's and the next
    /// year's (whose holidays may begin in this December).
    fn notices_for(&self, date: Date) -> impl Iterator<Item = &HolidayNotice> {
        [Some(date.year()), date.year().checked_add(1)]
            .into_iter()
            .flatten()
            .filter_map(|year| self.notices.get(&year))
    }

    /// The name of the public holiday `date` falls in, if any.
    pub fn holiday_name(&self, date: Date) -> Option<&Text> {
        self.notices_for(date)
            .flat_map(|n| n.holidays.iter())
            .find(|p| p.from <= date && date <= p.to)
            .map(|p| &p.name)
    }

    /// The kind of day `date` is; provisional when `date`'s year has no notice.
    pub fn day_kind(&self, date: Date) -> Computed<DayKind> {
        let value = if self.holiday_name(date).is_some() {
            DayKind::Holiday
        } else if self
            .notices_for(date)
            .any(|n| n.makeup_workdays.contains(&date))
        {
            DayKind::MakeupWorkday
        } else if is_weekend(date) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        };
        Computed {
            value,
            provisional: !self.has_notice(date.year()),
        }
    }

    /// Whether `date` is a working day; provisional when its year has no notice.
    pub fn is_working_day(&self, date: Date) -> Computed<bool> {
        let kind = self.day_kind(date);
        Computed {
            value: kind.value.is_working(),
            provisional: kind.provisional,
        }
    }

    /// The `n`-th working day strictly after `start` (the start day is not
    /// counted); `n = 0` gives `start` itself, not provisional.
    pub fn add_working_days(&self, start: Date, n: u32) -> Result<Computed<Date>, CalendarError> {
        self.nth_counted_day(start, n, &[])
    }

    /// The number of working days in `(from, to]`; when `to < from`, minus the
    /// number in `(to, from]`; 0 when they are equal.
    pub fn working_days_between(
        &self,
        from: Date,
        to: Date,
    ) -> Result<Computed<i64>, CalendarError> {
        if to < from {
            let back = self.counted_days(to, from, &[])?;
            Ok(Computed {
                value: -back.value,
                provisional: back.provisional,
            })
        } else {
            self.counted_days(from, to, &[])
        }
    }

    /// The due date of a clock: the working day on which its
    /// `limit_days + extension_days` working days, not counting paused days,
    /// are used up. `None` while the clock has an open pause.
    pub fn due_date(&self, clock: &LimitClock) -> Result<Option<Computed<Date>>, CalendarError> {
        if clock.is_paused() {
            return Ok(None);
        }
        self.nth_counted_day(clock.started, clock.total_days()?, &clock.pauses)
            .map(Some)
    }

    /// The state of a clock at the end of `today`.
    ///
    /// Used days are the working days in `(started, today]` outside every
    /// pause (pauses clipped to today, overlaps counted once). The level is
    /// red once today is past the due date (or, while paused, once more days
    /// are used than allowed), yellow once 80 % of a non-zero total is used,
    /// otherwise normal; so an immediate item (total 0) turns red only after
    /// its start day.
    pub fn clock_status(
        &self,
        clock: &LimitClock,
        today: Date,
    ) -> Result<ClockStatus, CalendarError> {
        let total_days = clock.total_days()?;
        let due = self.due_date(clock)?;
        let used = if today > clock.started {
            self.counted_days(clock.started, today, &clock.pauses)?
        } else {
            Computed {
                value: 0,
                provisional: false,
            }
        };
        let total = i64::from(total_days);
        let level = if used.value > total || due.is_some_and(|d| today > d.value) {
            WarningLevel::Red
        } else if total > 0 && used.value * 5 >= total * 4 {
            WarningLevel::Yellow
        } else {
            WarningLevel::Normal
        };
        Ok(ClockStatus {
            due,
            used_days: used.value,
            total_days,
            remaining_days: total - used.value,
            paused: clock.is_paused(),
            level,
            provisional: used.provisional || due.is_some_and(|d| d.provisional),
        })
    }

    /// Whether `date` counts towards a clock: a working day outside every pause.
    fn counts(&self, date: Date, pauses: &[Pause]) -> Computed<bool> {
        let working = self.is_working_day(date);
        Computed {
            value: working.value && !pauses.iter().any(|p| p.covers(date)),
            provisional: working.provisional,
        }
    }

    /// The `n`-th counted day strictly after `start`.
    fn nth_counted_day(
        &self,
        start: Date,
        n: u32,
        pauses: &[Pause],
    ) -> Result<Computed<Date>, CalendarError> {
        if n > MAX_WORKING_DAYS {
            return Err(CalendarError::OutOfRange);
        }
        let (mut day, mut found, mut provisional) = (start, 0, false);
        let mut steps = 0;
        while found < n {
            steps += 1;
            if steps > MAX_SPAN_DAYS {
                return Err(CalendarError::OutOfRange);
            }
            day = day.next_day().ok_or(CalendarError::OutOfRange)?;
            let counts = self.counts(day, pauses);
            provisional |= counts.provisional;
            if counts.value {
                found += 1;
            }
        }
        Ok(Computed {
            value: day,
            provisional,
        })
    }

    /// The number of counted days in `(from, to]`, for `from <= to`.
    fn counted_days(
        &self,
        from: Date,
        to: Date,
        pauses: &[Pause],
    ) -> Result<Computed<i64>, CalendarError> {
        if (to - from).whole_days() > MAX_SPAN_DAYS {
            return Err(CalendarError::OutOfRange);
        }
        let (mut day, mut value, mut provisional) = (from, 0, false);
        while day < to {
            day = day.next_day().ok_or(CalendarError::OutOfRange)?;
            let counts = self.counts(day, pauses);
            provisional |= counts.provisional;
            value += i64::from(counts.value);
        }
        Ok(Computed { value, provisional })
    }
}

/// True on Saturdays and Sundays.
fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// A suspension of a statutory clock (for example while the applicant
/// corrects materials or during expert review, which by law is not counted).
///
/// A pause that starts on `from` and is resumed on `until` excludes the
/// working days in `(from, until]`; `until: None` means still paused. A pause
/// with `until < from` excludes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// The day the clock stopped (still counted).
    pub from: Date,
    /// The day the clock resumed (not counted), or `None` while paused.
    pub until: Option<Date>,
}

impl Pause {
    /// True when `date` lies in the excluded window `(from, until]`.
    fn covers(&self, date: Date) -> bool {
        self.from < date && self.until.is_none_or(|until| date <= until)
    }
}

/// A statutory time limit (承诺时限) counted in working days from `started`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitClock {
    /// The day the clock starts, for example the acceptance date (not counted).
    pub started: Date,
    /// The limit in working days; 0 means immediate (即办).
    pub limit_days: u32,
    /// Working days added by an approved extension (延期).
    pub extension_days: u32,
    /// The pauses, in any order; overlapping pauses are counted once.
    #[serde(default)]
    pub pauses: Vec<Pause>,
}

impl LimitClock {
    /// The working days allowed in all: limit plus extension.
    pub fn total_days(&self) -> Result<u32, CalendarError> {
        self.limit_days
            .checked_add(self.extension_days)
            .ok_or(CalendarError::OutOfRange)
    }

    /// True while any pause is open (`until: None`).
    pub fn is_paused(&self) -> bool {
        self.pauses.iter().any(|p| p.until.is_none())
    }
}

/// How close a clock is to its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    /// Less than 80 % used.
    Normal,
    /// At least 80 % used (预警).
    Yellow,
    /// Past the due date (超期).
    Red,
}

impl WarningLevel {
    /// The stable code used in storage and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningLevel::Normal => "normal",
            WarningLevel::Yellow => "yellow",
            WarningLevel::Red => "red",
        }
    }
}

/// The state of a [`LimitClock`] on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClockStatus {
    /// The due date, `None` while paused.
    pub due: Option<Computed<Date>>,
    /// Working days used so far, paused days excluded.
    pub used_days: i64,
    /// Working days allowed: limit plus extension.
    pub total_days: u32,
    /// `total_days - used_days`; negative when overdue.
    pub remaining_days: i64,
    /// True while a pause is open.
    pub paused: bool,
    /// The warning level.
    pub level: WarningLevel,
    /// True when a year without a notice was involved.
    pub provisional: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cal() -> WorkCalendar {
        WorkCalendar::builtin()
    }

    fn fields(e: &ValidationErrors) -> Vec<(String, String)> {
        e.errors
            .iter()
            .map(|e| (e.field.clone(), e.code.clone()))
            .collect()
    }

    fn has(e: &ValidationErrors, field: &str, code: &str) -> bool {
        fields(e).contains(&(field.to_owned(), code.to_owned()))
    }

    fn clock(started: Date, limit_days: u32, pauses: Vec<Pause>) -> LimitClock {
        LimitClock {
            started,
            limit_days,
            extension_days: 0,
            pauses,
        }
    }

    #[test]
    fn every_builtin_notice_loads_and_validates() {
        let parsed: Vec<HolidayNotice> = serde_json::from_str(BUILTIN_NOTICES).unwrap();
        assert_eq!(parsed.len(), 3);
        for n in &parsed {
            n.validate().unwrap();
        }
        assert_eq!(builtin_notices(), parsed);
        assert_eq!(cal().years(), vec![2024, 2025, 2026]);
    }

    #[test]
    fn builtin_notices_round_trip_through_the_import_format() {
        for n in builtin_notices() {
            let json = serde_json::to_string(&n).unwrap();
            assert!(json.contains(&format!("\"{}-", n.year)));
            assert_eq!(parse_notice(&json).unwrap(), n);
        }
    }

    #[test]
    fn makeup_workdays_count_and_holidays_do_not() {
        let c = cal();
        let sat = c.day_kind(date!(2026 - 02 - 14));
        assert_eq!(sat.value, DayKind::MakeupWorkday);
        assert!(!sat.provisional);
        assert!(c.is_working_day(date!(2026 - 02 - 14)).value);
        assert_eq!(c.day_kind(date!(2026 - 02 - 16)).value, DayKind::Holiday);
        assert!(!c.is_working_day(date!(2026 - 02 - 16)).value);
        assert_eq!(
            c.holiday_name(date!(2026 - 02 - 16)).map(|t| t.zh.as_str()),
            Some("春节")
        );
        assert_eq!(c.day_kind(date!(2026 - 03 - 02)).value, DayKind::Workday);
        assert_eq!(c.day_kind(date!(2026 - 03 - 01)).value, DayKind::Weekend);
    }

    #[test]
    fn five_working_days_over_national_day() {
        let due = cal().add_working_days(date!(2026 - 09 - 30), 5).unwrap();
        assert_eq!(due.value, date!(2026 - 10 - 13));
        assert!(!due.provisional);
        let back = cal()
            .working_days_between(date!(2026 - 10 - 13), date!(2026 - 09 - 30))
            .unwrap();
        assert_eq!(back.value, -5);
    }

    #[test]
    fn zero_days_and_equal_dates() {
        let c = cal();
        let d = date!(2026 - 10 - 03);
        assert_eq!(c.add_working_days(d, 0).unwrap().value, d);
        assert_eq!(c.working_days_between(d, d).unwrap().value, 0);
        // Start day not counted: the next working day is the first.
        assert_eq!(
            c.add_working_days(date!(2026 - 03 - 02), 1).unwrap().value,
            date!(2026 - 03 - 03)
        );
    }

    #[test]
    fn new_year_2024_crosses_the_year_boundary() {
        let c = cal();
        let eve = c.day_kind(date!(2023 - 12 - 30));
        assert_eq!(eve.value, DayKind::Holiday);
        assert!(eve.provisional, "2023 itself has no notice");
        assert_eq!(
            c.holiday_name(date!(2023 - 12 - 31)).map(|t| t.en.as_str()),
            Some("New Year's Day")
        );
        assert_eq!(c.day_kind(date!(2024 - 01 - 01)).value, DayKind::Holiday);
        let next = c.add_working_days(date!(2023 - 12 - 29), 1).unwrap();
        assert_eq!(next.value, date!(2024 - 01 - 02));
        assert!(next.provisional);
    }

    #[test]
    fn a_year_without_notice_is_provisional_and_weekends_only() {
        let c = cal();
        let new_year = c.day_kind(date!(2027 - 01 - 01));
        assert_eq!(new_year.value, DayKind::Workday);
        assert!(new_year.provisional);
        assert_eq!(c.day_kind(date!(2027 - 01 - 02)).value, DayKind::Weekend);
        let empty = WorkCalendar::default();
        assert!(empty.years().is_empty());
        assert!(empty.is_working_day(date!(2026 - 10 - 01)).provisional);
        assert!(empty.is_working_day(date!(2026 - 10 - 01)).value);
    }

    #[test]
    fn a_span_into_2027_is_provisional() {
        let c = cal();
        let due = c.add_working_days(date!(2026 - 12 - 28), 5).unwrap();
        assert_eq!(due.value, date!(2027 - 01 - 04));
        assert!(due.provisional);
        let n = c
            .working_days_between(date!(2026 - 12 - 28), date!(2027 - 01 - 04))
            .unwrap();
        assert_eq!(n.value, 5);
        assert!(n.provisional);
        let inside = c
            .working_days_between(date!(2026 - 12 - 01), date!(2026 - 12 - 31))
            .unwrap();
        assert!(!inside.provisional);
    }

    #[test]
    fn later_notice_for_a_year_replaces_earlier() {
        let mut changed = builtin_notices();
        let mut n2026 = changed[2].clone();
        n2026.makeup_workdays.clear();
        changed.push(n2026);
        let c = WorkCalendar::new(&changed);
        assert_eq!(c.day_kind(date!(2026 - 02 - 14)).value, DayKind::Weekend);
    }

    #[test]
    fn a_pause_excludes_its_days_and_moves_the_due_date() {
        let c = cal();
        // Started Mon 2026-03-02, 10 working days: due Mon 2026-03-16.
        let plain = clock(date!(2026 - 03 - 02), 10, vec![]);
        assert_eq!(
            c.due_date(&plain).unwrap().map(|d| d.value),
            Some(date!(2026 - 03 - 16))
        );
        // Paused on Wed 03-04 and resumed on Mon 03-09: Thu, Fri, Mon excluded.
        let pause = Pause {
            from: date!(2026 - 03 - 04),
            until: Some(date!(2026 - 03 - 09)),
        };
        let paused = clock(date!(2026 - 03 - 02), 10, vec![pause]);
        assert_eq!(
            c.due_date(&paused).unwrap().map(|d| d.value),
            Some(date!(2026 - 03 - 19))
        );
        let s = c.clock_status(&paused, date!(2026 - 03 - 10)).unwrap();
        assert_eq!(s.used_days, 3); // Tue 3, Wed 4, Tue 10
        assert_eq!(s.remaining_days, 7);
        assert!(!s.paused);
        // An overlapping duplicate pause is counted once.
        let twice = clock(date!(2026 - 03 - 02), 10, vec![pause, pause]);
        assert_eq!(c.due_date(&twice).unwrap(), c.due_date(&paused).unwrap());
    }

    #[test]
    fn an_open_pause_stops_the_clock() {
        let c = cal();
        let open = clock(
            date!(2026 - 03 - 02),
            10,
            vec![Pause {
                from: date!(2026 - 03 - 04),
                until: None,
            }],
        );
        let s = c.clock_status(&open, date!(2026 - 04 - 30)).unwrap();
        assert!(s.paused);
        assert_eq!(s.due, None);
        assert_eq!(s.used_days, 2);
        assert_eq!(s.level, WarningLevel::Normal);
        assert_eq!(c.due_date(&open).unwrap(), None);
    }

    #[test]
    fn warning_levels() {
        let c = cal();
        let ten = clock(date!(2026 - 03 - 02), 10, vec![]);
        let at = |today| c.clock_status(&ten, today).unwrap();
        assert_eq!(at(date!(2026 - 03 - 02)).level, WarningLevel::Normal);
        assert_eq!(at(date!(2026 - 03 - 12)).used_days, 8);
        assert_eq!(at(date!(2026 - 03 - 11)).level, WarningLevel::Normal);
        assert_eq!(at(date!(2026 - 03 - 12)).level, WarningLevel::Yellow);
        assert_eq!(at(date!(2026 - 03 - 16)).level, WarningLevel::Yellow);
        assert_eq!(at(date!(2026 - 03 - 16)).remaining_days, 0);
        let overdue = at(date!(2026 - 03 - 17));
        assert_eq!(overdue.level, WarningLevel::Red);
        assert_eq!(overdue.remaining_days, -1);
        assert_eq!(WarningLevel::Red.as_str(), "red");
        // Due on a Friday, checked the Saturday after: overdue.
        let five = clock(date!(2026 - 03 - 06), 5, vec![]);
        let s = c.clock_status(&five, date!(2026 - 03 - 14)).unwrap();
        assert_eq!(s.due.map(|d| d.value), Some(date!(2026 - 03 - 13)));
        assert_eq!(s.level, WarningLevel::Red);
    }

    #[test]
    fn an_immediate_item_is_red_only_after_its_start_day() {
        let c = cal();
        let now = clock(date!(2026 - 03 - 06), 0, vec![]);
        let same = c.clock_status(&now, date!(2026 - 03 - 06)).unwrap();
        assert_eq!(same.level, WarningLevel::Normal);
        assert_eq!(same.due.map(|d| d.value), Some(date!(2026 - 03 - 06)));
        let later = c.clock_status(&now, date!(2026 - 03 - 07)).unwrap();
        assert_eq!(later.level, WarningLevel::Red);
    }

    #[test]
    fn extension_adds_to_the_total_and_provisional_propagates() {
        let c = cal();
        let mut late = clock(date!(2026 - 12 - 21), 5, vec![]);
        late.extension_days = 5;
        let s = c.clock_status(&late, date!(2026 - 12 - 22)).unwrap();
        assert_eq!(s.total_days, 10);
        assert!(s.provisional, "the due date lies in 2027");
    }

    #[test]
    fn validation_reports_every_problem_with_its_path() {
        let json = r#"{"year":2026,"source":" ","holidays":[
            {"name":{"zh":"甲","en":""},"from":"2026-01-01","to":"2026-01-03"},
            {"name":{"zh":"乙","en":""},"from":"2026-02-10","to":"2026-02-01"},
            {"name":{"zh":"丙","en":""},"from":"2026-01-03","to":"2026-01-05"},
            {"name":{"zh":"","en":""},"from":"2026-05-01","to":"2026-05-30"},
            {"name":{"zh":"丁","en":""},"from":"2025-11-30","to":"2025-12-01"}],
            "makeup_workdays":["2026-03-04","2026-01-04","2026-01-04","2026-01-03","2027-01-02"]}"#;
        let e = parse_notice(json).unwrap_err();
        for (field, code) in [
            ("source", "required"),
            ("holidays[1].to", "before_start"),
            ("holidays[2]", "overlap"),
            ("holidays[3].to", "too_long"),
            ("holidays[3].name.zh", "required"),
            ("holidays[4].from", "outside_year"),
            ("makeup_workdays[0]", "not_weekend"),
            ("makeup_workdays[2]", "duplicate"),
            ("makeup_workdays[3]", "holiday_conflict"),
            ("makeup_workdays[4]", "outside_year"),
        ] {
            assert!(has(&e, field, code), "{field} {code}: {:?}", fields(&e));
        }
        assert!(!has(&e, "holidays[4].to", "outside_year"));
        assert!(!has(&e, "makeup_workdays[1]", "duplicate"));
        let bad_year = HolidayNotice {
            year: 1999,
            ..builtin_notices()[0].clone()
        };
        assert!(has(
            &bad_year.validate().unwrap_err(),
            "year",
            "out_of_range"
        ));
    }

    #[test]
    fn invalid_json_is_one_error() {
        for json in [
            "{",
            "[]",
            r#"{"year":2026}"#,
            r#"{"year":2026,"source":"x","holidays":[],"makeup_workdays":["2026-13-01"]}"#,
        ] {
            let e = parse_notice(json).unwrap_err();
            assert_eq!(fields(&e), vec![(String::new(), "invalid_json".to_owned())]);
        }
        let typo = r#"{"year":2026,"source":"x","holidays":[],"makeup_workday":[]}"#;
        assert!(has(&parse_notice(typo).unwrap_err(), "", "invalid_json"));
    }

    #[test]
    fn out_of_range_is_an_error_not_a_panic() {
        let c = cal();
        assert_eq!(
            c.add_working_days(Date::MAX, 1),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(
            c.add_working_days(date!(2026 - 01 - 01), MAX_WORKING_DAYS + 1),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(
            c.working_days_between(Date::MIN, Date::MAX),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(c.add_working_days(Date::MAX, 0).unwrap().value, Date::MAX);
        let mut huge = clock(date!(2026 - 01 - 01), u32::MAX, vec![]);
        assert_eq!(
            c.clock_status(&huge, date!(2026 - 01 - 02)),
            Err(CalendarError::OutOfRange)
        );
        huge.limit_days = 1;
        huge.extension_days = u32::MAX;
        assert_eq!(huge.total_days(), Err(CalendarError::OutOfRange));
        assert_eq!(
            CalendarError::OutOfRange.to_string(),
            "日期超出可计算范围 / date out of range"
        );
    }
}
