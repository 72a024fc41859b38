//! `GET /verify/certificates` and `GET /verify/certificates/{no}?sig=` —
//! the public certificate verification page (the QR code of a certificate
//! opens it). It shows the verdict — genuine and valid, expired, revoked,
//! forged (signature mismatch) or unknown — with the certificate's name,
//! issuer and dates and the holder's masked name; never an identifier.

use askama::Template;
use axum::extract::{Path, Query, State};
use onetrip_app::sharing::verify::Verdict;
use serde::Deserialize;

use crate::page::{PageCtx, PageError, PageResult, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sharing/verify.html")]
struct VerifyPage {
    page: PageCtx,
    cert_no: String,
    checked: bool,
    verdict: String,
    verdict_code: &'static str,
    facts: Vec<(String, String)>,
}

/// The number typed into the form, or the QR signature.
#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    /// Typed number.
    #[serde(default)]
    pub no: Option<String>,
    /// QR signature.
    #[serde(default)]
    pub sig: Option<String>,
}

/// The form (and its result when a number was typed).
pub async fn form(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<VerifyQuery>,
) -> PageResult {
    match q.no.filter(|n| !n.trim().is_empty()) {
        Some(no) => check(&state, page, no, None).await,
        None => Ok(render(&VerifyPage {
            page,
            cert_no: String::new(),
            checked: false,
            verdict: String::new(),
            verdict_code: "",
            facts: Vec::new(),
        })),
    }
}

/// The verdict for a number (and QR signature).
pub async fn page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(no): Path<String>,
    Query(q): Query<VerifyQuery>,
) -> PageResult {
    check(&state, page, no, q.sig).await
}

async fn check(state: &AppState, page: PageCtx, no: String, sig: Option<String>) -> PageResult {
    let c = state
        .app
        .verify_certificate(&no, sig.as_deref())
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let lang = page.lang;
    let mut facts = Vec::new();
    if let Some(n) = &c.name {
        facts.push((
            page.t("sharing.cert_name").to_owned(),
            lang.pick(n).to_owned(),
        ));
    }
    if let Some(h) = &c.holder {
        facts.push((page.t("sharing.cert_holder").to_owned(), h.clone()));
    }
    if let Some(i) = &c.issuer_code {
        facts.push((page.t("sharing.cert_issuer").to_owned(), i.clone()));
    }
    if let Some(d) = c.issued_on {
        facts.push((page.t("sharing.cert_issued").to_owned(), d.to_string()));
    }
    if c.name.is_some() {
        facts.push((
            page.t("sharing.cert_valid_until").to_owned(),
            c.valid_until
                .map_or_else(|| page.t("sharing.long_term").to_owned(), |d| d.to_string()),
        ));
    }
    if let Some(r) = &c.revoked_reason {
        facts.push((page.t("sharing.revoked_reason").to_owned(), r.clone()));
    }
    Ok(render(&VerifyPage {
        cert_no: c.cert_no.clone(),
        checked: true,
        verdict: c.verdict.label(lang.code()).to_owned(),
        verdict_code: match c.verdict {
            Verdict::Valid => "valid",
            Verdict::Expired => "expired",
            Verdict::Revoked => "revoked",
            Verdict::Forged => "forged",
            Verdict::Unknown => "unknown",
        },
        facts,
        page,
    }))
}
