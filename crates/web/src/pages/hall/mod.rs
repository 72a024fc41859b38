//! Pages of the service hall: the kiosk (自助取号), the ticket holder's
//! page, the live display board, the window console for staff, the
//! applicant's appointments, and the statistics and staffing planner for
//! managers.
//!
//! Rules shared by these pages: the kiosk, the board and the holder's page
//! are public (the holder's page is opened by its random token and shows
//! no personal data); the console needs staff with `queue.operate` for the
//! hall's centre; appointments are the signed-in applicant's own;
//! statistics and the planner need staff, and the app decides whether they
//! may see the hall. Every form carries the CSRF token and every successful
//! POST answers 303. Charts are server-rendered SVG styled by the
//! stylesheet (the CSP forbids inline styles and scripts).

pub mod appointment_new;
pub mod appointments;
pub mod board;
pub mod counter;
pub mod kiosk;
pub mod planner;
pub mod stats;
pub mod ticket;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_domain::FieldError;
use onetrip_domain::hall::TicketStatus;
use onetrip_store::{CategoryRecord, HallKey};
use time::Date;
use time::macros::format_description;

use crate::i18n::Lang;
use crate::page::{PageCtx, PageError};
use crate::state::AppState;

/// A hall category as pages show it.
#[derive(Debug, Clone)]
pub struct CategoryView {
    /// Code (`A`).
    pub code: String,
    /// Name in the page's language.
    pub name: String,
    /// Tickets waiting now.
    pub waiting: usize,
}

/// The categories of a hall with today's waiting counts.
pub async fn categories_with_waiting(
    state: &AppState,
    page: &PageCtx,
    key: &HallKey,
) -> Result<Vec<CategoryView>, PageError> {
    let cats = categories(state, page, key).await?;
    let today = onetrip_app::hall::beijing_day(state.app.now());
    let waiting = state
        .app
        .store
        .hall_tickets(key, &today, &[TicketStatus::Waiting])
        .await
        .map_err(|e| PageError::from_app(page, e.into()))?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &waiting {
        *counts.entry(t.category.as_str()).or_default() += 1;
    }
    Ok(cats
        .iter()
        .map(|c| CategoryView {
            code: c.category.code.clone(),
            name: category_label(page.lang, c),
            waiting: counts.get(c.category.code.as_str()).copied().unwrap_or(0),
        })
        .collect())
}

/// The categories of a hall, by position.
pub async fn categories(
    state: &AppState,
    page: &PageCtx,
    key: &HallKey,
) -> Result<Vec<CategoryRecord>, PageError> {
    state
        .app
        .store
        .hall_categories(key)
        .await
        .map_err(|e| PageError::from_app(page, e.into()))
}

/// A category's name in `lang`.
pub fn category_label(lang: Lang, c: &CategoryRecord) -> String {
    lang.choose(&c.category.name_zh, &c.category.name_en)
        .to_owned()
}

/// The name of category `code` among `cats` (the code itself when unknown).
pub fn category_name(lang: Lang, cats: &[CategoryRecord], code: &str) -> String {
    cats.iter()
        .find(|c| c.category.code == code)
        .map_or_else(|| code.to_owned(), |c| category_label(lang, c))
}

/// Finds the hall or answers 404.
pub async fn place(
    state: &AppState,
    page: &PageCtx,
    key: &HallKey,
) -> Result<onetrip_app::hall::HallPlace, PageError> {
    state.app.hall_place(key).await.map_err(|e| match e {
        AppError::NotFound(_) => PageError::not_found(page),
        other => PageError::from_app(page, other),
    })
}

/// `HH:MM` of a minute after midnight.
pub fn hhmm(minute: i64) -> String {
    format!("{:02}:{:02}", minute.div_euclid(60), minute.rem_euclid(60))
}

/// `HH:MM` (Beijing) of an instant.
pub fn clock(micros: i64) -> String {
    hhmm(onetrip_app::hall::beijing_minute(micros))
}

/// Parses a `YYYY-MM-DD` day.
pub fn parse_day(s: &str) -> Option<Date> {
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// The day `n` days after `day` (`YYYY-MM-DD`).
pub fn add_days(day: &str, n: i64) -> Option<String> {
    let d = parse_day(day)?;
    d.checked_add(time::Duration::days(n))
        .map(|d| d.to_string())
}

/// A one-decimal number.
pub fn f1(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "∞".to_owned()
    }
}

/// A percentage without decimals.
pub fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:.0}%", v * 100.0)
    } else {
        "—".to_owned()
    }
}

/// A 400 page naming the query parameter that is wrong.
pub fn bad_query(page: &PageCtx, field: &str, message: &str) -> PageError {
    PageError::with_errors(
        page,
        StatusCode::BAD_REQUEST,
        page.t("hall.err.query"),
        vec![FieldError::new(field, "invalid", message)],
    )
}

/// One bar of a chart.
#[derive(Debug, Clone)]
pub struct ChartBar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Series index (CSS class `s0`, `s1`).
    pub series: usize,
    /// Tooltip and accessible text.
    pub label: String,
}

/// A labelled position on an axis.
#[derive(Debug, Clone)]
pub struct ChartTick {
    /// Position (x for the category axis, y for the value axis).
    pub at: f64,
    /// Label.
    pub label: String,
}

/// A legend entry.
#[derive(Debug, Clone)]
pub struct ChartLegend {
    /// Series index.
    pub series: usize,
    /// Label.
    pub label: String,
    /// Left edge of the swatch.
    pub x: f64,
}

/// A server-rendered bar chart (one or more series per category).
#[derive(Debug, Clone)]
pub struct Chart {
    /// HTML id prefix.
    pub id: String,
    /// Title (also the SVG `<title>`).
    pub title: String,
    /// Text description for screen readers.
    pub desc: String,
    /// View box width.
    pub width: f64,
    /// View box height.
    pub height: f64,
    /// Plot area left.
    pub left: f64,
    /// Plot area bottom.
    pub bottom: f64,
    /// Bars.
    pub bars: Vec<ChartBar>,
    /// Category labels along the bottom.
    pub x_ticks: Vec<ChartTick>,
    /// Value grid lines.
    pub y_ticks: Vec<ChartTick>,
    /// Legend.
    pub legend: Vec<ChartLegend>,
}

/// Rounds a coordinate to one decimal (short SVG attributes).
fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A "nice" axis maximum at or above `max`.
fn nice_max(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let exp = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * exp >= max {
            return m * exp;
        }
    }
    10.0 * exp
}

impl Chart {
    /// A grouped bar chart: `categories` along the x axis, one bar per
    /// series and category (`values[series][category]`; non-finite values
    /// are drawn as no bar).
    pub fn bars(
        id: &str,
        title: &str,
        categories: &[String],
        series: &[(String, Vec<f64>)],
        unit: &str,
    ) -> Self {
        let (width, height, left, right, top, bottom) = (640.0, 260.0, 44.0, 12.0, 28.0, 226.0);
        let max = series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let axis = nice_max(max);
        let plot_h = bottom - top;
        let n = categories.len().max(1) as f64;
        let group_w = (width - left - right) / n;
        let k = series.len().max(1) as f64;
        let bar_w = (group_w * 0.8) / k;
        let mut bars = Vec::new();
        let mut desc = Vec::new();
        for (ci, cat) in categories.iter().enumerate() {
            let mut parts = Vec::new();
            for (si, (name, values)) in series.iter().enumerate() {
                let v = values.get(ci).copied().unwrap_or(f64::NAN);
                let text = if v.is_finite() {
                    f1(v)
                } else {
                    "—".to_owned()
                };
                parts.push(format!("{name} {text}{unit}"));
                if !v.is_finite() {
                    continue;
                }
                let h = (v / axis * plot_h).clamp(0.0, plot_h);
                bars.push(ChartBar {
                    x: r1(left + ci as f64 * group_w + group_w * 0.1 + si as f64 * bar_w),
                    y: r1(bottom - h),
                    w: r1((bar_w - 1.0).max(1.0)),
                    h: r1(h),
                    series: si,
                    label: format!("{cat}: {name} {text}{unit}"),
                });
            }
            desc.push(format!("{cat}: {}", parts.join(", ")));
        }
        let x_ticks = categories
            .iter()
            .enumerate()
            .map(|(i, c)| ChartTick {
                at: r1(left + i as f64 * group_w + group_w / 2.0),
                label: c.clone(),
            })
            .collect();
        let y_ticks = (0..=4)
            .map(|i| {
                let v = axis * f64::from(i) / 4.0;
                ChartTick {
                    at: r1(bottom - plot_h * f64::from(i) / 4.0),
                    label: if axis >= 10.0 {
                        format!("{v:.0}")
                    } else {
                        f1(v)
                    },
                }
            })
            .collect();
        let legend = series
            .iter()
            .enumerate()
            .map(|(i, (name, _))| ChartLegend {
                series: i,
                label: name.clone(),
                x: left + i as f64 * 200.0,
            })
            .collect();
        Self {
            id: id.to_owned(),
            title: title.to_owned(),
            desc: desc.join("; "),
            width,
            height,
            left,
            bottom,
            bars,
            x_ticks,
            y_ticks,
            legend,
        }
    }

    /// Right end of the plot area.
    pub fn right(&self) -> f64 {
        self.width - 12.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maximum_is_round() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(23.0), 25.0);
    }

    #[test]
    fn days_are_added() {
        assert_eq!(add_days("2026-12-31", 1).as_deref(), Some("2027-01-01"));
        assert_eq!(add_days("nope", 1), None);
    }
}
