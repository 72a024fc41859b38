//! `GET /cases` — my cases: number, title, status, expected completion
//! (marked provisional when it relies on a year without a holiday notice)
//! and the department handling each now.
//!
//! Rules: only the signed-in applicant's own cases, drafts included, newest
//! first; staff are sent to the workbench. The department is named only
//! while a department has the case (parts open or claimed), which is only
//! during review, so only those cases are read in detail.

use askama::Template;
use axum::extract::State;
use onetrip_app::auth::Principal;
use onetrip_domain::case::PartStatus;

use super::{Badge, department_name, departments, expected_completion, require_applicant};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::admin::see_other;
use crate::state::AppState;

/// Most cases listed.
const LIMIT: i64 = 100;

/// One line of the list.
#[derive(Debug, Clone)]
pub struct CaseRow {
    /// Link.
    pub href: String,
    /// Number.
    pub case_no: String,
    /// Title.
    pub title: String,
    /// Status label.
    pub status: &'static str,
    /// Expected completion.
    pub expected: String,
    /// Departments handling it now.
    pub departments: String,
    /// Warning.
    pub warning: Badge,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<CaseRow>,
}

/// Lists my cases.
pub async fn show(State(state): State<AppState>, page: PageCtx) -> PageResult {
    if let Some(Principal::Staff(_)) = page.principal() {
        return Ok(see_other("/workbench"));
    }
    let who = require_applicant(&page)?;
    let fail = |e| PageError::from_app(&page, e);
    let cases = state.app.my_cases(&who, LIMIT).await.map_err(fail)?;
    let all_departments = departments(&state, &page).await?;
    let lang = page.lang;
    let mut rows = Vec::new();
    for c in cases {
        let mut names: Vec<String> = Vec::new();
        if c.status.in_review() {
            let detail = state.app.case_for(&who, c.id).await.map_err(fail)?;
            for p in detail
                .parts
                .iter()
                .filter(|p| matches!(p.status, PartStatus::Open | PartStatus::Claimed))
            {
                let n = department_name(&all_departments, lang, &p.department_code);
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        rows.push(CaseRow {
            href: format!("/cases/{}", c.id),
            case_no: c.case_no,
            title: lang.pick(&c.title).to_owned(),
            status: c.status.label(lang.code()),
            expected: expected_completion(lang, c.promised_due, c.decision_due, c.due_provisional),
            departments: names.join("、"),
            warning: super::warning_badge(lang, c.warning),
        });
    }
    Ok(render(&ListPage { page, rows }))
}
