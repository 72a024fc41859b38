//! Public status links: `/status/<nonce>.<signature>`. The nonce is a
//! random value drawn when the case is filed; the signature is an
//! HMAC-SHA256 over it, keyed with a secret derived from the server's
//! signing key, so a link cannot be guessed or altered. The page it opens
//! shows no personal data.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use onetrip_store::CaseRecord;
use sha2::Sha256;

use crate::App;
use crate::error::{AppError, AppResult};

type HmacSha256 = Hmac<Sha256>;

const LABEL: &str = "onetrip status link v1";
/// Bytes of the MAC kept in the link (144 bits).
const SIGNATURE_BYTES: usize = 18;

impl App {
    fn status_mac(&self, nonce: &str) -> AppResult<HmacSha256> {
        let mut mac = HmacSha256::new_from_slice(&self.anchor.derive_secret(LABEL))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        mac.update(b"status:");
        mac.update(nonce.as_bytes());
        Ok(mac)
    }

    /// The signed token for the public status page of the case with this nonce.
    pub fn status_token_for_nonce(&self, nonce: &str) -> String {
        let sig = self
            .status_mac(nonce)
            .map(|m| m.finalize().into_bytes().to_vec())
            .unwrap_or_default();
        format!(
            "{nonce}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(&sig[..sig.len().min(SIGNATURE_BYTES)])
        )
    }

    /// The signed token for a case's public status page.
    pub fn status_token(&self, case: &CaseRecord) -> String {
        self.status_token_for_nonce(&case.status_nonce)
    }

    /// The case a status token names, when its signature is right. A bad or
    /// forged token is "not found", the same as an unknown case.
    pub async fn case_by_status_token(&self, token: &str) -> AppResult<CaseRecord> {
        let not_found = || AppError::NotFound("status link".to_owned());
        let (nonce, sig) = token.split_once('.').ok_or_else(not_found)?;
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(sig)
            .map_err(|_| not_found())?;
        if sig.len() != SIGNATURE_BYTES {
            return Err(not_found());
        }
        self.status_mac(nonce)?
            .verify_truncated_left(&sig)
            .map_err(|_| not_found())?;
        let id = self
            .store
            .case_id_by_status_nonce(nonce)
            .await?
            .ok_or_else(not_found)?;
        let detail = self.store.case_detail(id).await?.ok_or_else(not_found)?;
        Ok(detail.case)
    }
}
