//! `GET|POST /workbench/cases/{id}/evidence` — where each material fulfilled
//! by data sharing came from, for staff who may see the case. Values are
//! masked; staff holding `data.unmask` in the case's scope may show one
//! material's full values after giving a reason. Every view is written to
//! the access log (the applicant sees it in the data tracker) and unmasked
//! views are audited as such.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use onetrip_store::CaseEvidenceRecord;

use super::{FieldRow, field_rows};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::account::beijing_time;
use crate::pages::admin::{check_csrf, field, parse_pairs};
use crate::state::AppState;

/// One material's provenance.
#[derive(Debug)]
struct Row {
    key: String,
    evidence_type: String,
    source: String,
    provider: String,
    reference: String,
    when: String,
    consent: String,
    message: String,
    fields: Vec<FieldRow>,
    unmasked: bool,
}

#[derive(Template)]
#[template(path = "sharing/staff_evidence.html")]
struct StaffEvidencePage {
    page: PageCtx,
    case_id: i64,
    rows: Vec<Row>,
}

fn row(page: &PageCtx, r: &CaseEvidenceRecord, full: bool) -> Row {
    Row {
        key: r.material_key.clone(),
        evidence_type: r.evidence_type.clone(),
        source: r.source.clone(),
        provider: r.provider.clone(),
        reference: r.reference.clone(),
        when: beijing_time(r.used_at),
        consent: r
            .consent_id
            .map(|c| format!("#{c}"))
            .unwrap_or_else(|| "—".into()),
        message: r
            .message_seq
            .map(|m| format!("#{m}"))
            .unwrap_or_else(|| "—".into()),
        fields: field_rows(page.lang, &r.fields, full),
        unmasked: full,
    }
}

/// Shows the provenance (masked).
pub async fn page(State(state): State<AppState>, page: PageCtx, Path(id): Path<i64>) -> PageResult {
    let who = page.require_principal()?.clone();
    let records = state
        .app
        .case_evidence_for(&who, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let rows = records.iter().map(|r| row(&page, r, false)).collect();
    Ok(render(&StaffEvidencePage {
        page,
        case_id: id,
        rows,
    }))
}

/// Shows one material unmasked (`key`, `reason`).
pub async fn unmask(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let who = page.require_principal()?.clone();
    let key = field(&pairs, "key");
    let full = state
        .app
        .unmask_case_evidence(&who, id, key, field(&pairs, "reason"))
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let records = state
        .app
        .case_evidence_for(&who, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let rows = records
        .iter()
        .map(|r| {
            if r.material_key == key {
                row(&page, &full, true)
            } else {
                row(&page, r, false)
            }
        })
        .collect();
    Ok(render(&StaffEvidencePage {
        page,
        case_id: id,
        rows,
    }))
}
