//! Signed requests to external providers and their message log.
//!
//! Rules: every request body is signed by OneTrip's sharing key (Ed25519)
//! and names the consumer, the case, the purpose and the holder; the answer
//! must carry a valid signature of the provider's registered key over its
//! exact body, echo the request id, holder and evidence type, or it is
//! rejected. Both bodies are appended to the message log whatever happens,
//! so a refused or timed-out exchange is on record too. A provider that does
//! not answer within its timeout (short: 2 s by default) is given up on.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use onetrip_domain::evidence::{
    Evidence, EvidenceType, ProviderRequest, ProviderResponse, Unavailable,
};
use onetrip_store::{NewProviderMessage, ProviderRecord};

use crate::App;
use crate::error::{AppError, AppResult};

/// Header carrying the base64 Ed25519 signature of the body.
pub const SIGNATURE_HEADER: &str = "x-onetrip-signature";
/// Header naming the signer (consumer or provider).
pub const SIGNER_HEADER: &str = "x-onetrip-signer";
/// The provider endpoint below the base URL.
pub const EVIDENCE_PATH: &str = "/v1/evidence";

/// Signs `body`, returning the base64 signature.
pub fn sign(key: &SigningKey, body: &[u8]) -> String {
    STANDARD.encode(key.sign(body).to_bytes())
}

/// Parses a hex Ed25519 public key.
pub fn parse_public_key(hex_key: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// True when `signature` (base64) is `key`'s signature of `body`.
pub fn verify(key: &VerifyingKey, body: &[u8], signature: &str) -> bool {
    let Ok(bytes) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(&bytes) else {
        return false;
    };
    key.verify(body, &sig).is_ok()
}

fn random_id() -> AppResult<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex::encode(b))
}

/// What one exchange with a provider gave.
#[derive(Debug)]
pub struct ProviderAnswer {
    /// The evidence, or why not.
    pub result: Result<Evidence, Unavailable>,
    /// The response's message-log entry.
    pub message_seq: Option<i64>,
}

impl App {
    /// OneTrip's sharing signing key, derived from the audit signing key
    /// (so it survives restarts without another key file).
    pub fn sharing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&self.anchor.derive_secret("onetrip-sharing-ed25519"))
    }

    /// The sharing public key, hex: providers configure it to check requests,
    /// and anyone can check certificate QR signatures with it.
    pub fn sharing_public_key_hex(&self) -> String {
        hex::encode(self.sharing_key().verifying_key().as_bytes())
    }

    /// Asks `provider` for evidence of `holder` for the case `case_no`.
    pub async fn ask_provider(
        &self,
        provider: &ProviderRecord,
        case_id: i64,
        case_no: &str,
        holder: &str,
        t: &EvidenceType,
        purpose: &str,
    ) -> AppResult<ProviderAnswer> {
        let request = ProviderRequest {
            request_id: random_id()?,
            consumer: self.config.sharing.consumer.clone(),
            case_ref: case_no.to_owned(),
            purpose: purpose.to_owned(),
            holder: holder.to_owned(),
            evidence_type: t.code(),
            sent_at: self.now(),
        };
        let body =
            serde_json::to_string(&request).map_err(|e| AppError::Internal(e.to_string()))?;
        let signature = sign(&self.sharing_key(), body.as_bytes());
        let timeout_ms = if provider.timeout_ms > 0 {
            u64::try_from(provider.timeout_ms).unwrap_or(2000)
        } else {
            self.config.sharing.provider_timeout_ms
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(timeout_ms))
            .connect_timeout(Duration::from_millis(timeout_ms))
            .build()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let url = format!("{}{EVIDENCE_PATH}", provider.base_url.trim_end_matches('/'));
        let sent = client
            .post(&url)
            .header("content-type", "application/json")
            .header(SIGNER_HEADER, &request.consumer)
            .header(SIGNATURE_HEADER, &signature)
            .body(body.clone())
            .send()
            .await;
        let log_request = NewProviderMessage {
            request_id: request.request_id.clone(),
            provider: provider.name.clone(),
            direction: "request".into(),
            case_id: Some(case_id),
            body,
            signature,
            outcome: "sent".into(),
        };
        let failure = |outcome: String| NewProviderMessage {
            request_id: request.request_id.clone(),
            provider: provider.name.clone(),
            direction: "response".into(),
            case_id: Some(case_id),
            body: String::new(),
            signature: String::new(),
            outcome,
        };
        let (response_entry, result) = match sent {
            Err(e) if e.is_timeout() => (
                failure("timeout".into()),
                Err(Unavailable::Timeout {
                    provider: provider.name.clone(),
                }),
            ),
            Err(e) => (
                failure(format!("error: {e}")),
                Err(Unavailable::ProviderError {
                    provider: provider.name.clone(),
                    detail: "连接失败 / connection failed".into(),
                }),
            ),
            Ok(resp) => {
                let status = resp.status();
                let sig = resp
                    .headers()
                    .get(SIGNATURE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                match resp.text().await {
                    Err(e) if e.is_timeout() => (
                        failure("timeout".into()),
                        Err(Unavailable::Timeout {
                            provider: provider.name.clone(),
                        }),
                    ),
                    Err(e) => (
                        failure(format!("error: {e}")),
                        Err(Unavailable::ProviderError {
                            provider: provider.name.clone(),
                            detail: "应答不完整 / incomplete answer".into(),
                        }),
                    ),
                    Ok(text) => self.check_answer(provider, &request, status, text, sig, case_id),
                }
            }
        };
        let seqs = self
            .store
            .append_provider_messages(&self.ctx("system:sharing"), &[log_request, response_entry])
            .await?;
        Ok(ProviderAnswer {
            result,
            message_seq: seqs.last().copied(),
        })
    }

    fn check_answer(
        &self,
        provider: &ProviderRecord,
        request: &ProviderRequest,
        status: reqwest::StatusCode,
        text: String,
        sig: String,
        case_id: i64,
    ) -> (NewProviderMessage, Result<Evidence, Unavailable>) {
        let entry = |outcome: &str| NewProviderMessage {
            request_id: request.request_id.clone(),
            provider: provider.name.clone(),
            direction: "response".into(),
            case_id: Some(case_id),
            body: text.clone(),
            signature: sig.clone(),
            outcome: outcome.to_owned(),
        };
        let error = |detail: &str| Unavailable::ProviderError {
            provider: provider.name.clone(),
            detail: detail.to_owned(),
        };
        let Some(key) = parse_public_key(&provider.public_key) else {
            return (
                entry("error: provider key"),
                Err(error("公钥无效 / bad key")),
            );
        };
        if !verify(&key, text.as_bytes(), &sig) {
            return (
                entry("bad_signature"),
                Err(Unavailable::BadSignature {
                    provider: provider.name.clone(),
                }),
            );
        }
        if !status.is_success() {
            return (
                entry(&format!("error: HTTP {}", status.as_u16())),
                Err(error(&format!("HTTP {}", status.as_u16()))),
            );
        }
        let Ok(answer) = serde_json::from_str::<ProviderResponse>(&text) else {
            return (
                entry("error: unreadable"),
                Err(error("应答无法解析 / unreadable answer")),
            );
        };
        if answer.request_id != request.request_id
            || answer.holder != request.holder
            || answer.evidence_type != request.evidence_type
        {
            return (
                entry("error: mismatched"),
                Err(error(
                    "应答与请求不符 / the answer does not match the request",
                )),
            );
        }
        match answer.evidence {
            Some(mut e) if e.evidence_type == request.evidence_type => {
                e.provider = provider.name.clone();
                (entry("verified"), Ok(e))
            }
            Some(_) => (
                entry("error: mismatched"),
                Err(error("证据类型不符 / wrong evidence type")),
            ),
            None => (
                entry("verified"),
                Err(answer.unavailable.unwrap_or(Unavailable::NotFound)),
            ),
        }
    }
}
