//! `GET /admin/audit` — the newest 100 audit entries (sequence, time, actor,
//! action, subject, detail) and the result of verifying the whole chain
//! against the signed checkpoints (`App::verify_audit`): intact, or the
//! first problem found. Needs `audit.view` somewhere.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;

use super::{Admin, AdminNav, Section, store_error};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::account::beijing_time;
use crate::state::AppState;

/// Number of entries shown.
pub const RECENT: i64 = 100;

/// One entry as shown.
#[derive(Debug, Clone)]
pub struct EntryRow {
    /// Sequence number.
    pub seq: i64,
    /// Time (Beijing).
    pub at: String,
    /// Actor as stored (`staff:1`).
    pub actor: String,
    /// Who that is, when known.
    pub actor_name: String,
    /// Action.
    pub action: String,
    /// Subject.
    pub subject: String,
    /// Detail (JSON).
    pub detail: String,
    /// A refused or failed attempt.
    pub refused: bool,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: PageCtx,
    nav: AdminNav,
    intact: bool,
    verify_summary: String,
    problem: Option<String>,
    entries: Vec<EntryRow>,
}

/// Shows the audit log.
pub async fn show(State(state): State<AppState>, page: PageCtx) -> PageResult {
    let admin = Admin::of(&page)?;
    admin.gate(&page, Section::Audit)?;
    let store = state.app.store.as_ref();
    let fail = store_error(&page);
    let report = state
        .app
        .verify_audit()
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let names: HashMap<String, String> = store
        .list_staff()
        .await
        .map_err(&fail)?
        .into_iter()
        .map(|s| {
            (
                format!("staff:{}", s.id),
                format!("{}（{}）", s.display_name, s.username),
            )
        })
        .collect();
    let entries = store
        .recent_audit(RECENT)
        .await
        .map_err(&fail)?
        .into_iter()
        .map(|e| EntryRow {
            seq: e.seq,
            at: beijing_time(e.at_micros),
            actor_name: names.get(&e.actor).cloned().unwrap_or_default(),
            refused: e.action.contains("refused")
                || e.action.contains("failure")
                || e.action.contains("throttled"),
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            detail: e.detail,
        })
        .collect();
    drop(fail);
    let verify_summary = format!(
        "{} {} · {} {}",
        report.entries,
        page.t("admin.audit_entries"),
        report.checkpoints,
        page.t("admin.audit_checkpoints"),
    );
    Ok(render(&AuditPage {
        nav: admin.nav(&page, Section::Audit),
        intact: report.is_intact(),
        problem: report.problem.as_ref().map(|p| p.describe()),
        verify_summary,
        entries,
        page,
    }))
}
