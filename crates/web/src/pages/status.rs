//! `GET /status/{token}` — the public status of one case, opened from the
//! signed link in notices, messages and the QR code.
//!
//! Rules: anyone holding the link may look; a forged, altered or unknown
//! token is "not found" (404), the same as a missing case. The page shows
//! only the case number, title, status, expected completion, the department
//! handling it now and the dates of its steps — never names, phone numbers,
//! identifiers, addresses, reasons or notes.

use askama::Template;
use axum::extract::{Path, State};
use onetrip_domain::case::PartStatus;

use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::account::beijing_time;
use crate::pages::cases::{department_name, departments, expected_completion};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    page: PageCtx,
    case_no: String,
    title: String,
    status: &'static str,
    expected: String,
    departments_now: String,
    steps: Vec<(String, &'static str)>,
}

/// Shows the public status of a case.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> PageResult {
    let case = state
        .app
        .case_by_status_token(&token)
        .await
        .map_err(|_| PageError::not_found(&page))?;
    let detail = state
        .app
        .store
        .case_detail(case.id)
        .await
        .map_err(|e| PageError::from_app(&page, e.into()))?
        .ok_or_else(|| PageError::not_found(&page))?;
    let lang = page.lang;
    let all = departments(&state, &page).await?;
    let mut names: Vec<String> = Vec::new();
    for p in detail
        .parts
        .iter()
        .filter(|p| matches!(p.status, PartStatus::Open | PartStatus::Claimed))
    {
        let n = department_name(&all, lang, &p.department_code);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let steps = detail
        .events
        .iter()
        .map(|e| {
            (
                beijing_time(e.at_micros)
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                e.action.label(lang.code()),
            )
        })
        .collect();
    Ok(render(&StatusPage {
        case_no: case.case_no.clone(),
        title: lang.pick(&case.title).to_owned(),
        status: case.status.label(lang.code()),
        expected: expected_completion(
            lang,
            case.promised_due,
            case.decision_due,
            case.due_provisional,
        ),
        departments_now: names.join("、"),
        steps,
        page,
    }))
}
