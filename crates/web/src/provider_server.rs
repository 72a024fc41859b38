//! A department registry served as an external provider (`onetrip provider
//! serve`): `POST /v1/evidence` answers signed requests from the consumers
//! it knows with signed evidence from its own records (an
//! `onetrip-sharing/1` document).
//!
//! Rules: a request whose signature does not verify with the named
//! consumer's key is refused (401, unsigned); every answer — found, not
//! found, expired, revoked — is signed over its exact bytes; expired and
//! revoked certificates and inactive entities are never offered.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use ed25519_dalek::{SigningKey, VerifyingKey};
use onetrip_app::sharing::provider::{
    EVIDENCE_PATH, SIGNATURE_HEADER, SIGNER_HEADER, sign, verify,
};
use onetrip_domain::evidence::{
    CertificateFacts, EvidenceType, ProviderRequest, ProviderResponse, SharingDocument, SourceKind,
    Unavailable, entity_evidence, person_evidence, pick_certificate,
};
use time::{Date, OffsetDateTime, UtcOffset};

/// A provider's state: its name, signing key, known consumers and records.
#[derive(Debug)]
pub struct ProviderState {
    /// Name put in answers.
    pub name: String,
    /// Signing key.
    pub key: SigningKey,
    /// `(consumer name, public key)` allowed to ask.
    pub consumers: Vec<(String, VerifyingKey)>,
    /// The records served.
    pub data: SharingDocument,
}

/// The provider's router.
pub fn provider_router(state: Arc<ProviderState>) -> Router {
    Router::new()
        .route(EVIDENCE_PATH, post(evidence))
        .with_state(state)
}

fn today() -> Date {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

fn now_micros() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1000).unwrap_or(0)
}

/// Answers one request for evidence.
async fn evidence(
    State(state): State<Arc<ProviderState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let signer = header(SIGNER_HEADER);
    let signature = header(SIGNATURE_HEADER);
    let trusted = state
        .consumers
        .iter()
        .find(|(name, _)| *name == signer)
        .is_some_and(|(_, key)| verify(key, &body, &signature));
    if !trusted {
        return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
    }
    let Ok(request) = serde_json::from_slice::<ProviderRequest>(&body) else {
        return (StatusCode::BAD_REQUEST, "unreadable request").into_response();
    };
    let result = match EvidenceType::parse(&request.evidence_type) {
        Err(_) => Err(Unavailable::NotApplicable),
        Ok(t) => lookup(&state, &t, request.holder.trim()),
    };
    let (evidence, unavailable) = match result {
        Ok(e) => (Some(e), None),
        Err(u) => (None, Some(u)),
    };
    let answer = ProviderResponse {
        request_id: request.request_id,
        provider: state.name.clone(),
        holder: request.holder,
        evidence_type: request.evidence_type,
        evidence,
        unavailable,
        answered_at: now_micros(),
    };
    let Ok(text) = serde_json::to_string(&answer) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let sig = sign(&state.key, text.as_bytes());
    (
        StatusCode::OK,
        [
            ("content-type", "application/json".to_owned()),
            (SIGNATURE_HEADER, sig),
            (SIGNER_HEADER, state.name.clone()),
        ],
        text,
    )
        .into_response()
}

fn lookup(
    state: &ProviderState,
    t: &EvidenceType,
    holder: &str,
) -> Result<onetrip_domain::evidence::Evidence, Unavailable> {
    let d = &state.data;
    match t.source() {
        SourceKind::Population => d
            .population
            .iter()
            .find(|p| p.id_number.eq_ignore_ascii_case(holder))
            .and_then(|p| person_evidence(t, p, &state.name))
            .ok_or(Unavailable::NotFound),
        SourceKind::LegalEntity => match d
            .legal_entities
            .iter()
            .find(|l| l.credit_code.eq_ignore_ascii_case(holder))
        {
            Some(l) => entity_evidence(t, l, &state.name),
            None => Err(Unavailable::NotFound),
        },
        SourceKind::CertificateLibrary => {
            let facts: Vec<CertificateFacts<'_>> = d
                .certificates
                .iter()
                .filter(|c| c.holder_identifier.eq_ignore_ascii_case(holder))
                .map(|c| CertificateFacts {
                    cert_no: &c.cert_no,
                    cert_type: &c.cert_type,
                    name: &c.name,
                    holder_name: &c.holder_name,
                    issuer_code: &c.issuer_code,
                    issued_on: c.issued_on,
                    valid_until: c.valid_until,
                    revoked: c.revoked,
                })
                .collect();
            pick_certificate(t, &facts, today(), &state.name)
        }
    }
}
