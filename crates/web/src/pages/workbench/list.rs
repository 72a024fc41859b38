//! `GET /workbench` — the staff member's work: `?tab=mine` (tasks assigned
//! to me), `?tab=inbox` (open and claimed tasks of my departments) and
//! `?tab=intake` (cases waiting at the front desk: pre-review, acceptance,
//! signing, delivery), filtered by warning level (`warning=normal|yellow|red`,
//! shown as coloured badges with text) and due-by date (`due_by=YYYY-MM-DD`).
//!
//! Rules: staff only. Tasks are the parts in the inboxes of departments
//! where the user holds `case.review`; the front-desk queue holds cases in
//! the regions where the user holds a front-desk or supervision permission
//! (the app decides both). A malformed due-by date is named in an error
//! summary (422) and the list is shown unfiltered by date.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use onetrip_app::cases::WorkbenchFilter;
use onetrip_domain::FieldError;
use onetrip_domain::access::Permission;
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use super::require_staff;
use crate::page::{PageCtx, PageError, PageResult, render_status};
use crate::pages::admin::{Opt, error_for};
use crate::pages::cases::{Badge, expected_completion, parse_warning, warning_badge};
use crate::state::AppState;

/// Query of the workbench.
#[derive(Debug, Default, Deserialize)]
pub struct WorkbenchQuery {
    /// `mine`, `inbox` or `intake`.
    pub tab: Option<String>,
    /// Warning level code.
    pub warning: Option<String>,
    /// Due on or before.
    pub due_by: Option<String>,
}

/// One line of the workbench.
#[derive(Debug, Clone)]
pub struct WorkRow {
    /// Link to the case.
    pub href: String,
    /// Case number.
    pub case_no: String,
    /// Title (and the part's item for tasks).
    pub title: String,
    /// Status label.
    pub status: &'static str,
    /// Due date.
    pub due: String,
    /// Warning.
    pub warning: Badge,
}

/// A tab.
#[derive(Debug, Clone)]
pub struct Tab {
    /// Link.
    pub href: String,
    /// Label.
    pub label: &'static str,
    /// Current.
    pub current: bool,
}

#[derive(Template)]
#[template(path = "workbench/list.html")]
struct WorkbenchPage {
    page: PageCtx,
    tabs: Vec<Tab>,
    tab: String,
    warnings: Vec<Opt>,
    due_by: String,
    rows: Vec<WorkRow>,
    errors: Vec<FieldError>,
    can_receive: bool,
}

impl WorkbenchPage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        crate::page::field_id(path.as_ref())
    }
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// Shows the workbench.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<WorkbenchQuery>,
) -> PageResult {
    let (who, staff) = require_staff(&page)?;
    let lang = page.lang;
    let reviewer = staff.has_anywhere(Permission::CaseReview);
    let tab = match q.tab.as_deref() {
        Some(t @ ("mine" | "inbox" | "intake")) => t.to_owned(),
        _ if reviewer => "inbox".to_owned(),
        _ => "intake".to_owned(),
    };
    let warning_code = q.warning.clone().unwrap_or_default();
    let warning = parse_warning(&warning_code);
    let due_text = q.due_by.clone().unwrap_or_default();
    let mut errors = Vec::new();
    let due_by = if due_text.trim().is_empty() {
        None
    } else {
        let d = parse_date(&due_text);
        if d.is_none() {
            errors.push(FieldError::new(
                "due_by",
                "invalid_date",
                lang.t("workbench.bad_date"),
            ));
        }
        d
    };
    let fail = |e| PageError::from_app(&page, e);
    let rows: Vec<WorkRow> = if tab == "intake" {
        state
            .app
            .intake_queue(&who, &[], warning)
            .await
            .map_err(fail)?
            .into_iter()
            .filter(|c| {
                due_by.is_none_or(|d| c.accept_due.or(c.promised_due).is_some_and(|x| x <= d))
            })
            .map(|c| WorkRow {
                href: format!("/workbench/cases/{}", c.id),
                case_no: c.case_no,
                title: lang.pick(&c.title).to_owned(),
                status: c.status.label(lang.code()),
                due: if c.status.awaits_acceptance() {
                    c.accept_due
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "—".to_owned())
                } else {
                    expected_completion(lang, c.promised_due, c.decision_due, c.due_provisional)
                },
                warning: warning_badge(lang, c.warning),
            })
            .collect()
    } else {
        let filter = WorkbenchFilter {
            warning,
            due_by,
            mine: tab == "mine",
            statuses: Vec::new(),
        };
        state
            .app
            .workbench(&who, &filter)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|t| WorkRow {
                href: format!("/workbench/cases/{}", t.part.case_id),
                case_no: t.case_no,
                title: format!("{} · {}", lang.pick(&t.case_title), lang.pick(&t.part.name)),
                status: t.part.status.label(lang.code()),
                due: expected_completion(
                    lang,
                    t.part.promised_due,
                    t.part.statutory_due,
                    t.part.due_provisional,
                ),
                warning: warning_badge(lang, t.part.warning),
            })
            .collect()
    };
    let tab_href = |t: &str| {
        let mut s = format!("/workbench?tab={t}");
        if !warning_code.is_empty() {
            s.push_str(&format!("&warning={warning_code}"));
        }
        s
    };
    let tabs = [
        ("mine", "workbench.tab.mine"),
        ("inbox", "workbench.tab.inbox"),
        ("intake", "workbench.tab.intake"),
    ]
    .into_iter()
    .map(|(t, key)| Tab {
        href: tab_href(t),
        label: lang.t(key),
        current: t == tab,
    })
    .collect();
    let mut warnings = vec![Opt::new(
        "",
        lang.t("workbench.any_warning"),
        warning.is_none(),
    )];
    for (code, key) in [
        ("normal", "warning.normal"),
        ("yellow", "warning.yellow"),
        ("red", "warning.red"),
    ] {
        warnings.push(Opt::new(code, lang.t(key), warning_code == code));
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &WorkbenchPage {
            tabs,
            tab,
            warnings,
            due_by: due_text,
            rows,
            errors,
            can_receive: staff.has_anywhere(Permission::CaseReceive),
            page,
        },
    ))
}
