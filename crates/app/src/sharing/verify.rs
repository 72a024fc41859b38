//! Verification: certificates by number and QR signature, the provider
//! message log and the access log.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, Verifier};
use onetrip_domain::evidence::{
    CertificateStatus, MESSAGE_LOG_GENESIS, certificate_payload, mask_person, message_hash,
};
use onetrip_domain::text::Text;
use onetrip_store::LibraryCertificate;
use serde::Serialize;
use time::Date;

use super::provider::{parse_public_key, verify};
use crate::App;
use crate::error::AppResult;

/// The verdict of a certificate check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Genuine and valid today.
    Valid,
    /// Genuine but past its validity.
    Expired,
    /// Genuine but revoked.
    Revoked,
    /// The number exists but the signature does not match: forged or altered.
    Forged,
    /// No certificate has this number.
    Unknown,
}

impl Verdict {
    /// Label.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang == "en") {
            (Self::Valid, false) => "真实有效",
            (Self::Valid, true) => "Genuine and valid",
            (Self::Expired, false) => "证照真实，但已过有效期",
            (Self::Expired, true) => "Genuine but expired",
            (Self::Revoked, false) => "证照已注销，不再有效",
            (Self::Revoked, true) => "Revoked: no longer valid",
            (Self::Forged, false) => "签名不符：证照系伪造或被篡改",
            (Self::Forged, true) => "Signature mismatch: forged or altered",
            (Self::Unknown, false) => "未找到该编号的证照",
            (Self::Unknown, true) => "No certificate has this number",
        }
    }
}

/// What the public verification shows (no identifiers, the holder masked).
#[derive(Debug, Clone, Serialize)]
pub struct CertificateCheck {
    /// The number asked about.
    pub cert_no: String,
    /// The verdict.
    pub verdict: Verdict,
    /// True when a signature was given and matches.
    pub signature_valid: bool,
    /// Certificate name.
    pub name: Option<Text>,
    /// Holder, masked.
    pub holder: Option<String>,
    /// Issuer.
    pub issuer_code: Option<String>,
    /// Issued.
    pub issued_on: Option<Date>,
    /// Valid until.
    pub valid_until: Option<Date>,
    /// Why revoked.
    pub revoked_reason: Option<String>,
}

/// One problem found in a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogProblem {
    /// Sequence number or row id.
    pub at: i64,
    /// What is wrong.
    pub problem: String,
}

/// The result of checking a log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LogReport {
    /// Entries checked.
    pub entries: i64,
    /// Problems, in order.
    pub problems: Vec<LogProblem>,
}

impl LogReport {
    /// True when nothing is wrong.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

fn payload(c: &LibraryCertificate) -> Vec<u8> {
    certificate_payload(
        &c.cert_no,
        &c.cert_type,
        &c.holder_identifier,
        c.issued_on,
        c.valid_until,
    )
}

impl App {
    /// The QR signature of a certificate: OneTrip's sharing key over the
    /// facts the verification page states (base64url).
    pub fn certificate_signature(&self, c: &LibraryCertificate) -> String {
        URL_SAFE_NO_PAD.encode(self.sharing_key().sign(&payload(c)).to_bytes())
    }

    /// The path of a certificate's verification page, as put in its QR code.
    pub fn certificate_verify_path(&self, c: &LibraryCertificate) -> String {
        format!(
            "/verify/certificates/{}?sig={}",
            percent_path(&c.cert_no),
            self.certificate_signature(c)
        )
    }

    /// Verifies a certificate by number and, when given, its QR signature.
    /// A wrong signature is reported as forged whatever the number; a
    /// revoked or expired genuine certificate says so.
    pub async fn verify_certificate(
        &self,
        cert_no: &str,
        sig: Option<&str>,
    ) -> AppResult<CertificateCheck> {
        let cert_no = cert_no.trim();
        let Some(c) = self.store.library_certificate(cert_no).await? else {
            return Ok(CertificateCheck {
                cert_no: cert_no.to_owned(),
                verdict: Verdict::Unknown,
                signature_valid: false,
                name: None,
                holder: None,
                issuer_code: None,
                issued_on: None,
                valid_until: None,
                revoked_reason: None,
            });
        };
        let signature_valid = sig.is_some_and(|s| {
            URL_SAFE_NO_PAD
                .decode(s.trim())
                .ok()
                .and_then(|b| Signature::from_slice(&b).ok())
                .is_some_and(|sig| {
                    self.sharing_key()
                        .verifying_key()
                        .verify(&payload(&c), &sig)
                        .is_ok()
                })
        });
        let verdict = if sig.is_some() && !signature_valid {
            Verdict::Forged
        } else {
            match c.status(self.today()) {
                CertificateStatus::Valid => Verdict::Valid,
                CertificateStatus::Expired => Verdict::Expired,
                CertificateStatus::Revoked => Verdict::Revoked,
            }
        };
        Ok(CertificateCheck {
            cert_no: c.cert_no.clone(),
            verdict,
            signature_valid,
            name: Some(c.name.clone()),
            holder: Some(mask_person(&c.holder_name)),
            issuer_code: Some(c.issuer_code.clone()),
            issued_on: Some(c.issued_on),
            valid_until: c.valid_until,
            revoked_reason: (c.revoked && !c.revoked_reason.is_empty())
                .then(|| c.revoked_reason.clone()),
        })
    }

    /// Checks the provider message log: every entry links to the previous
    /// one and its hash recomputes; requests carry OneTrip's signature,
    /// verified responses their provider's; the audit entries written with
    /// each append name the hash the log must still have there.
    pub async fn verify_message_log(&self) -> AppResult<LogReport> {
        let mut report = LogReport::default();
        let providers = self.store.list_providers().await?;
        let own = self.sharing_key().verifying_key();
        let mut prev = MESSAGE_LOG_GENESIS.to_owned();
        let mut after = 0;
        let mut hashes = std::collections::HashMap::new();
        loop {
            let page = self.store.provider_messages(after, 500).await?;
            if page.is_empty() {
                break;
            }
            for m in &page {
                report.entries += 1;
                after = m.seq;
                let mut problem = |p: &str| {
                    report.problems.push(LogProblem {
                        at: m.seq,
                        problem: p.to_owned(),
                    })
                };
                if m.prev_hash != prev {
                    problem("与前一条的链接不符 / does not link to the previous entry");
                }
                let hash = message_hash(
                    &m.prev_hash,
                    &m.direction,
                    &m.provider,
                    &m.body,
                    &m.signature,
                );
                if hash != m.hash {
                    problem("哈希不符：内容被改动 / hash mismatch: the entry was altered");
                }
                let signed = match m.direction.as_str() {
                    "request" => Some(verify(&own, m.body.as_bytes(), &m.signature)),
                    "response" if m.outcome == "verified" => Some(
                        providers
                            .iter()
                            .find(|p| p.name == m.provider)
                            .and_then(|p| parse_public_key(&p.public_key))
                            .is_some_and(|k| verify(&k, m.body.as_bytes(), &m.signature)),
                    ),
                    _ => None,
                };
                if signed == Some(false) {
                    problem("签名无效 / signature does not verify");
                }
                hashes.insert(m.seq, m.hash.clone());
                prev = m.hash.clone();
            }
        }
        let mut seq = 0;
        loop {
            let entries = self.store.audit_entries(seq, 500).await?;
            if entries.is_empty() {
                break;
            }
            for e in &entries {
                seq = e.seq;
                if e.action != "sharing.messages_logged" {
                    continue;
                }
                let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
                let (Some(last), Some(hash)) =
                    (detail["last_seq"].as_i64(), detail["hash"].as_str())
                else {
                    continue;
                };
                if hashes.get(&last).map(String::as_str) != Some(hash) {
                    report.problems.push(LogProblem {
                        at: last,
                        problem: "与审计链记录的消息哈希不符（被改写或删除） / differs from the hash recorded in the audit chain".into(),
                    });
                }
            }
        }
        Ok(report)
    }

    /// Checks the access log: each row's content hash must equal the one
    /// its audit entry (in the hash chain) recorded.
    pub async fn verify_access_log(&self) -> AppResult<LogReport> {
        let mut report = LogReport::default();
        let mut after = 0;
        loop {
            let rows = self.store.access_log_after(after, 500).await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                report.entries += 1;
                after = r.id;
                let entry = self.store.audit_entries(r.audit_seq - 1, 1).await?;
                let ok = entry.first().is_some_and(|e| {
                    e.seq == r.audit_seq
                        && e.subject == format!("access:{}", r.id)
                        && serde_json::from_str::<serde_json::Value>(&e.detail)
                            .ok()
                            .and_then(|d| d["row_sha256"].as_str().map(str::to_owned))
                            == Some(r.content_hash())
                });
                if !ok {
                    report.problems.push(LogProblem {
                        at: r.id,
                        problem:
                            "访问记录与审计链不符：被改动 / the row differs from its audit entry"
                                .into(),
                    });
                }
            }
        }
        Ok(report)
    }
}

fn percent_path(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
