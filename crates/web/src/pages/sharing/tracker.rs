//! `GET /me/data-tracker` — the applicant's data tracker (数据使用记录):
//! every logged read of their personal data — who, when, for which case,
//! why and on what legal basis, and whether it was an unmasked view.

use askama::Template;
use axum::extract::State;

use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::account::beijing_time;
use crate::state::AppState;

/// One row.
#[derive(Debug)]
struct Row {
    when: String,
    who: String,
    case_no: String,
    purpose: String,
    basis: String,
    data: String,
    unmasked: bool,
}

#[derive(Template)]
#[template(path = "sharing/tracker.html")]
struct TrackerPage {
    page: PageCtx,
    rows: Vec<Row>,
}

/// Shows the tracker.
pub async fn page(State(state): State<AppState>, page: PageCtx) -> PageResult {
    let who = page.require_principal()?.clone();
    let views = state
        .app
        .data_tracker(&who, 500)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let rows = views
        .into_iter()
        .map(|v| Row {
            when: beijing_time(v.record.at_micros),
            who: v.who,
            case_no: v.record.case_no,
            purpose: v.record.purpose,
            basis: v.record.legal_basis,
            data: v.record.data,
            unmasked: v.record.unmasked,
        })
        .collect();
    Ok(render(&TrackerPage { page, rows }))
}
