//! `GET /admin/calendar` lists the stored State Council holiday notices by
//! year and the years whose due dates are provisional (no notice stored);
//! `POST /admin/calendar` imports one year's notice from the JSON import
//! format through `App::import_calendar_notice` (needs `calendar.manage`).
//!
//! Rules: a notice with any error imports nothing and every bad field is
//! listed with its path; importing replaces the year's notice and
//! recomputes the due dates of every open case in the same transaction.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_domain::FieldError;
use onetrip_domain::access::Permission;
use onetrip_domain::calendar::parse_notice;

use super::{
    Admin, AdminNav, NoticeQuery, Section, check_csrf, field, notice, parse_pairs, see_other,
};
use crate::page::{PageCtx, PageError, PageResult, render_status};
use crate::pages::account::beijing_time;
use crate::state::AppState;

/// One stored notice as shown.
#[derive(Debug, Clone)]
pub struct NoticeRow {
    /// Year.
    pub year: i32,
    /// Document number.
    pub source: String,
    /// Holidays `name from–to`.
    pub holidays: Vec<String>,
    /// Make-up workdays.
    pub makeup: String,
    /// Imported at.
    pub imported: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    page: PageCtx,
    nav: AdminNav,
    notice: Option<&'static str>,
    rows: Vec<NoticeRow>,
    provisional: Vec<i32>,
    can_import: bool,
    document: String,
    message: Option<String>,
    errors: Vec<FieldError>,
}

async fn view(
    state: &AppState,
    page: PageCtx,
    admin: &Admin,
    document: String,
    message: Option<String>,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<CalendarPage, PageError> {
    let stored = state
        .app
        .calendar_notices()
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let lang = page.lang;
    let mut rows: Vec<NoticeRow> = stored
        .iter()
        .map(|s| NoticeRow {
            year: s.notice.year,
            source: s.notice.source.clone(),
            holidays: s
                .notice
                .holidays
                .iter()
                .map(|h| format!("{} {}–{}", lang.pick(&h.name), h.from, h.to))
                .collect(),
            makeup: s
                .notice
                .makeup_workdays
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("、"),
            imported: beijing_time(s.imported_at),
        })
        .collect();
    rows.sort_by_key(|r| r.year);
    let this_year = state.app.today().year();
    let provisional = (this_year - 1..=this_year + 2)
        .filter(|y| !rows.iter().any(|r| r.year == *y))
        .collect();
    Ok(CalendarPage {
        nav: admin.nav(&page, Section::Calendar),
        notice,
        rows,
        provisional,
        can_import: admin.can(Permission::CalendarManage),
        document,
        message,
        errors,
        page,
    })
}

/// Lists the notices.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Calendar)?;
    let n = notice(&page, q.notice.as_deref());
    let v = view(&state, page, &admin, String::new(), None, Vec::new(), n).await?;
    Ok(render_status(StatusCode::OK, &v))
}

/// Imports a notice.
pub async fn submit(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Calendar)?;
    let document = field(&pairs, "document").to_owned();
    let errors = match parse_notice(&document) {
        Err(v) => v
            .errors
            .into_iter()
            .map(|mut e| {
                if e.field.is_empty() {
                    e.field = "document".to_owned();
                }
                e
            })
            .collect(),
        Ok(n) => match state.app.import_calendar_notice(&admin.principal, &n).await {
            Ok(_) => return Ok(see_other("/admin/calendar?notice=calendar_imported")),
            Err(AppError::Invalid(v)) => v.errors,
            Err(e) => return Err(PageError::from_app(&page, e)),
        },
    };
    let message = Some(page.t("error.summary").to_owned());
    let v = view(&state, page, &admin, document, message, errors, None).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &v))
}
