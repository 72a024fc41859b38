//! `GET|POST /cases/{id}/evidence` — the applicant's shared evidence for a
//! case: a preview of each material OneTrip can obtain by data sharing, a
//! consent choice where the item needs it, and one button that fulfils the
//! materials without an upload (免提交). Materials that cannot be shared
//! say why; the applicant uploads them on the case page. A consent in force
//! can be revoked here.

use std::collections::BTreeMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use onetrip_app::sharing::{EvidenceOffer, ShareOutcome};

use super::{FieldRow, field_rows};
use crate::page::{PageCtx, PageError, PageResult, render};
use crate::pages::admin::{check_csrf, field, parse_pairs};
use crate::state::AppState;

/// One row of the page.
#[derive(Debug)]
struct OfferRow {
    key: String,
    name: String,
    source: &'static str,
    provider: String,
    consent_required: bool,
    consent_state: &'static str,
    consent_id: Option<i64>,
    fulfilled: bool,
    fields: Vec<FieldRow>,
    reason: String,
}

#[derive(Template)]
#[template(path = "sharing/case_evidence.html")]
struct EvidencePage {
    page: PageCtx,
    case_id: i64,
    rows: Vec<OfferRow>,
    outcomes: Vec<String>,
}

fn rows(page: &PageCtx, offers: &[EvidenceOffer]) -> Vec<OfferRow> {
    let lang = page.lang;
    offers
        .iter()
        .map(|o| {
            let (fields, fulfilled) = match (&o.fulfilled, &o.preview) {
                (Some(f), _) => (field_rows(lang, &f.fields, false), true),
                (None, Some(p)) => (field_rows(lang, &p.fields, false), false),
                _ => (Vec::new(), false),
            };
            let consent = o.consent.as_ref();
            OfferRow {
                key: o.key.clone(),
                name: lang.pick(&o.name).to_owned(),
                source: o.source.label(lang.code()),
                provider: o.provider.clone().unwrap_or_default(),
                consent_required: o.consent_required,
                consent_state: match consent.map(|c| c.decision.as_str()) {
                    Some("granted") => page.t("sharing.consent_granted"),
                    Some(_) => page.t("sharing.consent_refused"),
                    None => page.t("sharing.consent_none"),
                },
                consent_id: consent.filter(|c| c.decision == "granted").map(|c| c.id),
                fulfilled,
                fields,
                reason: o
                    .unavailable
                    .as_ref()
                    .map(|u| u.message(lang.code()))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

async fn show(state: &AppState, page: PageCtx, id: i64, outcomes: Vec<String>) -> PageResult {
    let who = page.require_principal()?.clone();
    let offers = state
        .app
        .evidence_offers(&who, id)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    Ok(render(&EvidencePage {
        rows: rows(&page, &offers),
        case_id: id,
        outcomes,
        page,
    }))
}

/// Shows the evidence page.
pub async fn page(State(state): State<AppState>, page: PageCtx, Path(id): Path<i64>) -> PageResult {
    show(&state, page, id, Vec::new()).await
}

/// Uses shared evidence with the chosen consents (`consent.<key>` =
/// `yes`/`no`), or revokes one consent (`revoke` = its id).
pub async fn submit(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let who = page.require_principal()?.clone();
    let revoke = field(&pairs, "revoke");
    if !revoke.is_empty() {
        let consent_id = revoke
            .parse::<i64>()
            .map_err(|_| PageError::not_found(&page))?;
        state
            .app
            .revoke_consent(&who, consent_id)
            .await
            .map_err(|e| PageError::from_app(&page, e))?;
        return show(
            &state,
            page.clone(),
            id,
            vec![page.t("sharing.consent_revoked").to_owned()],
        )
        .await;
    }
    let mut consents = BTreeMap::new();
    for (k, v) in &pairs {
        if let Some(key) = k.strip_prefix("consent.") {
            match v.as_str() {
                "yes" => {
                    consents.insert(key.to_owned(), true);
                }
                "no" => {
                    consents.insert(key.to_owned(), false);
                }
                _ => {}
            }
        }
    }
    let outcomes = state
        .app
        .share_evidence(&who, id, &consents)
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let lang = page.lang;
    let lines = outcomes
        .iter()
        .map(|o| match o {
            ShareOutcome::Fulfilled { key } => {
                format!("{key}：{}", page.t("sharing.outcome_fulfilled"))
            }
            ShareOutcome::AlreadyFulfilled { key } => {
                format!("{key}：{}", page.t("sharing.fulfilled"))
            }
            ShareOutcome::NeedsConsent { key } => {
                format!("{key}：{}", page.t("sharing.outcome_needs_consent"))
            }
            ShareOutcome::Upload { key, unavailable } => {
                format!("{key}：{}", unavailable.message(lang.code()))
            }
        })
        .collect();
    show(&state, page, id, lines).await
}
