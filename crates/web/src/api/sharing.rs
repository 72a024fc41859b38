//! Once-only data sharing: `GET|POST /api/v1/cases/{id}/evidence`, `GET
//! /api/v1/cases/{id}/evidence/provenance`, `POST
//! /api/v1/cases/{id}/evidence/{key}/unmask`, `GET /api/v1/me/consents`,
//! `DELETE /api/v1/me/consents/{id}`, `GET /api/v1/me/data-access`, the
//! public `GET /api/v1/certificates/{no}/verify` and `GET
//! /api/v1/sharing/public-key`, `POST /api/v1/certificates/{no}/revoke`,
//! `POST /api/v1/sharing/import`, `POST /api/v1/sharing/providers`, `GET
//! /api/v1/sharing/measures` and `GET /api/v1/sharing/verify`.
//!
//! Rules: the applicant sees previews of their own evidence and decides on
//! consent per material; evidence that cannot be used comes back with the
//! reason and the material stays to be uploaded. Staff see provenance
//! masked, and full values only with `data.unmask`, each view logged. The
//! applicant's data tracker lists every logged read of their data. Anyone
//! may verify a certificate; the answer carries no identifier.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_app::sharing::verify::{CertificateCheck, LogReport};
use onetrip_app::sharing::{AccessView, EvidenceOffer, ProviderForm, ShareOutcome};
use onetrip_domain::access::Permission;
use onetrip_domain::evidence::SharingDocument;
use onetrip_store::{CaseEvidenceRecord, ConsentRecord, SharingImportSummary, SharingMeasures};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::{Caller, Writer};
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

/// The applicant's consent decisions by checklist key.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ShareBody {
    /// `{"m02": true}` consents, `false` refuses (the applicant uploads).
    #[serde(default)]
    pub consents: BTreeMap<String, bool>,
}

/// The evidence offers of a case: preview, consent, provenance or the reason it cannot be used.
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence", tag = "sharing", params(("id" = i64, Path, description = "Case id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "One offer per material naming evidence"), (status = 404, description = "No such case of yours")))]
pub async fn offers(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<EvidenceOffer>>, ApiError> {
    Ok(Json(
        state.app.evidence_offers(caller.principal(), id).await?,
    ))
}

/// Uses shared evidence for the case (免提交), recording consent decisions first.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence", tag = "sharing", params(("id" = i64, Path, description = "Case id")), request_body = ShareBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "What happened to each material"), (status = 409, description = "Not a draft"), (status = 422, description = "A key that names no shared material")))]
pub async fn share(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ShareBody>,
) -> Result<Json<Vec<ShareOutcome>>, ApiError> {
    Ok(Json(
        state
            .app
            .share_evidence(writer.principal(), id, &body.consents)
            .await?,
    ))
}

/// Where each fulfilled material came from (masked for staff; the view is logged).
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence/provenance", tag = "sharing", params(("id" = i64, Path, description = "Case id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Provenance per material")))]
pub async fn provenance(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CaseEvidenceRecord>>, ApiError> {
    Ok(Json(
        state.app.case_evidence_for(caller.principal(), id).await?,
    ))
}

/// Why full values are needed.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UnmaskBody {
    /// Reason, logged.
    pub reason: String,
}

/// Full values of one shared material (`data.unmask`); logged as unmasked and audited.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence/{key}/unmask", tag = "sharing", params(("id" = i64, Path, description = "Case id"), ("key" = String, Path, description = "Checklist key")), request_body = UnmaskBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Unmasked provenance"), (status = 403, description = "No data.unmask in the case's scope")))]
pub async fn unmask(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath((id, key)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<UnmaskBody>,
) -> Result<Json<CaseEvidenceRecord>, ApiError> {
    Ok(Json(
        state
            .app
            .unmask_case_evidence(writer.principal(), id, &key, &body.reason)
            .await?,
    ))
}

/// The applicant's consents.
#[utoipa::path(get, path = "/api/v1/me/consents", tag = "sharing",
    security(("bearer" = []), ("cookie" = [])), responses((status = 200, description = "Consents, newest first")))]
pub async fn consents(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ConsentRecord>>, ApiError> {
    Ok(Json(state.app.my_consents(caller.principal()).await?))
}

/// Revokes a consent; on a draft its material must then be uploaded.
#[utoipa::path(delete, path = "/api/v1/me/consents/{id}", tag = "sharing", params(("id" = i64, Path, description = "Consent id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The revoked consent"), (status = 409, description = "Not in force")))]
pub async fn revoke_consent(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConsentRecord>, ApiError> {
    Ok(Json(
        state.app.revoke_consent(writer.principal(), id).await?,
    ))
}

/// The applicant's data tracker: who read their data, when, for which case and on what basis.
#[utoipa::path(get, path = "/api/v1/me/data-access", tag = "sharing",
    security(("bearer" = []), ("cookie" = [])), responses((status = 200, description = "Reads, newest first")))]
pub async fn data_access(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<AccessView>>, ApiError> {
    Ok(Json(state.app.data_tracker(caller.principal(), 500).await?))
}

/// The QR signature, when scanned.
#[derive(Debug, Clone, Deserialize, IntoParams)]
pub struct VerifyQuery {
    /// The signature from the QR code.
    pub sig: Option<String>,
}

/// Verifies a certificate by number and QR signature (public; no identifiers shown).
#[utoipa::path(get, path = "/api/v1/certificates/{no}/verify", tag = "sharing", params(("no" = String, Path, description = "Certificate number"), VerifyQuery),
    responses((status = 200, description = "Verdict: valid, expired, revoked, forged or unknown")))]
pub async fn verify_certificate(
    State(state): State<AppState>,
    ApiPath(no): ApiPath<String>,
    ApiQuery(q): ApiQuery<VerifyQuery>,
) -> Result<Json<CertificateCheck>, ApiError> {
    Ok(Json(
        state.app.verify_certificate(&no, q.sig.as_deref()).await?,
    ))
}

/// OneTrip's sharing public key.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicKeyView {
    /// Hex Ed25519 public key: checks provider requests and certificate QR signatures.
    pub public_key: String,
    /// Consumer name in provider requests.
    pub consumer: String,
}

/// The key providers check requests with.
#[utoipa::path(get, path = "/api/v1/sharing/public-key", tag = "sharing",
    responses((status = 200, description = "The key", body = PublicKeyView)))]
pub async fn public_key(State(state): State<AppState>) -> Json<PublicKeyView> {
    Json(PublicKeyView {
        public_key: state.app.sharing_public_key_hex(),
        consumer: state.app.config.sharing.consumer.clone(),
    })
}

/// Why a certificate is revoked.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RevokeBody {
    /// Reason.
    pub reason: String,
}

/// Revokes a certificate (core `certificate.issue`).
#[utoipa::path(post, path = "/api/v1/certificates/{no}/revoke", tag = "sharing", params(("no" = String, Path, description = "Certificate number")), request_body = RevokeBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Revoked"), (status = 409, description = "Already revoked")))]
pub async fn revoke_certificate(
    State(state): State<AppState>,
    writer: Writer,
    ApiPath(no): ApiPath<String>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .revoke_certificate(writer.principal(), &no, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Imports an `onetrip-sharing/1` document (`sharing.manage`): all or nothing, every bad field named.
#[utoipa::path(post, path = "/api/v1/sharing/import", tag = "sharing",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Counts"), (status = 422, description = "Every bad field")))]
pub async fn import(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(doc): ApiJson<SharingDocument>,
) -> Result<Json<SharingImportSummary>, ApiError> {
    Ok(Json(
        state.app.import_sharing(writer.principal(), &doc).await?,
    ))
}

/// Connects an external provider (`sharing.manage`).
#[utoipa::path(post, path = "/api/v1/sharing/providers", tag = "sharing",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, description = "Saved"), (status = 422, description = "Every bad field")))]
pub async fn save_provider(
    State(state): State<AppState>,
    writer: Writer,
    ApiJson(form): ApiJson<ProviderForm>,
) -> Result<(StatusCode, Json<onetrip_store::ProviderRecord>), ApiError> {
    let saved = state.app.save_provider(writer.principal(), &form).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Materials required, shared and uploaded, trips made and avoided, per case and item (`supervision.view`).
#[utoipa::path(get, path = "/api/v1/sharing/measures", tag = "sharing",
    security(("bearer" = []), ("cookie" = [])), responses((status = 200, description = "Measures")))]
pub async fn measures(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SharingMeasures>, ApiError> {
    Ok(Json(state.app.sharing_measures(caller.principal()).await?))
}

/// The result of checking both logs.
#[derive(Debug, Clone, Serialize)]
pub struct LogsView {
    /// Provider message log.
    pub message_log: LogReport,
    /// Access log.
    pub access_log: LogReport,
}

/// Verifies the provider message log and the access log (`audit.view`).
#[utoipa::path(get, path = "/api/v1/sharing/verify", tag = "sharing",
    security(("bearer" = []), ("cookie" = [])), responses((status = 200, description = "Both reports")))]
pub async fn verify_logs(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<LogsView>, ApiError> {
    let staff = caller.principal().staff()?;
    if !staff.has_anywhere(Permission::AuditView) {
        return Err(AppError::Forbidden(format!(
            "需要权限 {} / the {} permission is needed",
            Permission::AuditView.as_str(),
            Permission::AuditView.as_str()
        ))
        .into());
    }
    Ok(Json(LogsView {
        message_log: state.app.verify_message_log().await?,
        access_log: state.app.verify_access_log().await?,
    }))
}
