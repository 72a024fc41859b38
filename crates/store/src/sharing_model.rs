//! Records and commands of once-only data sharing.

use onetrip_domain::evidence::{
    CertificateStatus, EntityStatus, Evidence, EvidenceField, LegalEntityRecord, PopulationRecord,
    certificate_status,
};
use onetrip_domain::text::Text;
use serde::Serialize;
use time::Date;

/// What a sharing import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SharingImportSummary {
    /// Persons inserted or updated.
    pub population: u64,
    /// Legal entities inserted or updated.
    pub legal_entities: u64,
    /// Certificates inserted or updated.
    pub certificates: u64,
}

/// A person in the population registry with provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPerson {
    /// The record.
    pub record: PopulationRecord,
    /// Who supplied it.
    pub source: String,
    /// When it was last imported.
    pub updated_at: i64,
}

/// A legal entity with provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEntity {
    /// The record.
    pub record: LegalEntityRecord,
    /// Who supplied it.
    pub source: String,
    /// When it was last imported.
    pub updated_at: i64,
}

impl StoredEntity {
    /// True when the entity is registered and not cancelled or revoked.
    pub fn is_active(&self) -> bool {
        self.record.status == EntityStatus::Active
    }
}

/// A certificate in the e-certificate library (issued by a case or imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryCertificate {
    /// Number.
    pub cert_no: String,
    /// Type code: imported certificates carry one; certificates issued by a
    /// OneTrip case have the issuing item's code.
    pub cert_type: String,
    /// Name.
    pub name: Text,
    /// Holder name.
    pub holder_name: String,
    /// Holder ID number or credit code.
    pub holder_identifier: String,
    /// Issuing department.
    pub issuer_code: String,
    /// Issue date.
    pub issued_on: Date,
    /// Validity end (none: long-term).
    pub valid_until: Option<Date>,
    /// Revoked at the issuer.
    pub revoked: bool,
    /// Why.
    pub revoked_reason: String,
    /// `case` or `import:<source>`.
    pub source: String,
    /// Issuing case, for certificates issued on OneTrip.
    pub case_id: Option<i64>,
}

impl LibraryCertificate {
    /// The status on `today`.
    pub fn status(&self, today: Date) -> CertificateStatus {
        certificate_status(self.revoked, self.valid_until, today)
    }
}

/// An external provider connected over HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderRecord {
    /// Unique name, for example `hubei-population`.
    pub name: String,
    /// Base URL; requests go to `{base_url}/v1/evidence`.
    pub base_url: String,
    /// The provider's Ed25519 public key, hex.
    pub public_key: String,
    /// Evidence type codes it answers for.
    pub evidence_types: Vec<String>,
    /// Request timeout.
    pub timeout_ms: i64,
    /// Disabled providers are not asked.
    pub enabled: bool,
}

/// A message-log entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProviderMessage {
    /// The request's id.
    pub request_id: String,
    /// Provider name.
    pub provider: String,
    /// `request` or `response`.
    pub direction: String,
    /// Case asked for.
    pub case_id: Option<i64>,
    /// Exact body.
    pub body: String,
    /// Base64 signature of the body ('' when none came).
    pub signature: String,
    /// `sent`, `verified`, `bad_signature`, `timeout`, `error: …`.
    pub outcome: String,
}

/// A stored message-log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderMessage {
    /// Position in the log.
    pub seq: i64,
    /// The request's id.
    pub request_id: String,
    /// Provider name.
    pub provider: String,
    /// `request` or `response`.
    pub direction: String,
    /// Case.
    pub case_id: Option<i64>,
    /// Exact body.
    pub body: String,
    /// Base64 signature.
    pub signature: String,
    /// Outcome.
    pub outcome: String,
    /// Previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
    /// When.
    pub at_micros: i64,
}

/// An applicant's consent decision for one material of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    /// Id.
    pub id: i64,
    /// Applicant.
    pub applicant_id: i64,
    /// Case.
    pub case_id: i64,
    /// Case number.
    pub case_no: String,
    /// Checklist key.
    pub material_key: String,
    /// Evidence type code.
    pub evidence_type: String,
    /// `granted` or `refused`.
    pub decision: String,
    /// When.
    pub decided_at: i64,
    /// When revoked.
    pub revoked_at: Option<i64>,
}

/// A consent decision to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    /// Applicant.
    pub applicant_id: i64,
    /// Case.
    pub case_id: i64,
    /// Checklist key.
    pub material_key: String,
    /// Evidence type.
    pub evidence_type: String,
    /// Granted (true) or refused.
    pub granted: bool,
}

/// One read of personal data, for the access log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAccess {
    /// Whose data (ID number or credit code).
    pub holder: String,
    /// The case it was read for.
    pub case_id: Option<i64>,
    /// The case number ('' when none).
    pub case_no: String,
    /// Why.
    pub purpose: String,
    /// Legal basis.
    pub legal_basis: String,
    /// What was read (source and evidence type).
    pub data: String,
    /// Shown unmasked.
    pub unmasked: bool,
}

/// A stored access-log row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessRecord {
    /// Id.
    pub id: i64,
    /// When.
    pub at_micros: i64,
    /// Who (`staff:3`, `applicant:7`, `system`).
    pub actor: String,
    /// Whose data.
    pub holder: String,
    /// Case.
    pub case_id: Option<i64>,
    /// Case number.
    pub case_no: String,
    /// Why.
    pub purpose: String,
    /// Legal basis.
    pub legal_basis: String,
    /// What.
    pub data: String,
    /// Unmasked view.
    pub unmasked: bool,
    /// The audit entry written with it.
    pub audit_seq: i64,
}

/// Evidence used to fulfil one material of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceUse {
    /// Case.
    pub case_id: i64,
    /// Checklist key.
    pub material_key: String,
    /// The evidence.
    pub evidence: Evidence,
    /// The consent it relies on.
    pub consent_id: Option<i64>,
    /// The provider response's message-log entry.
    pub message_seq: Option<i64>,
    /// True when staff fulfil it at the window (case submitted).
    pub by_staff: bool,
}

/// Provenance of a fulfilled material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseEvidenceRecord {
    /// Checklist key.
    pub material_key: String,
    /// Evidence type code.
    pub evidence_type: String,
    /// Source kind code.
    pub source: String,
    /// `local` or the provider's name.
    pub provider: String,
    /// Reference (certificate number, identifier).
    pub reference: String,
    /// Fields shown.
    pub fields: Vec<EvidenceField>,
    /// Consent.
    pub consent_id: Option<i64>,
    /// Message-log entry.
    pub message_seq: Option<i64>,
    /// Actor.
    pub used_by: String,
    /// When.
    pub used_at: i64,
}

/// Sharing figures of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseMeasure {
    /// Case.
    pub case_id: i64,
    /// Number.
    pub case_no: String,
    /// Items of the case.
    pub item_codes: Vec<String>,
    /// Required materials the applicant would have to provide.
    pub required: i64,
    /// Of these, fulfilled by data sharing (免提交).
    pub shared: i64,
    /// Of these, uploaded or filled in by the applicant or helper.
    pub uploaded: i64,
    /// On-site trips recorded.
    pub trips: i64,
    /// Trips avoided: each material fulfilled by sharing is one trip to its
    /// issuing department the applicant did not make.
    pub trips_avoided: i64,
}

/// Sharing figures of one item, over its non-draft cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemMeasure {
    /// Item.
    pub item_code: String,
    /// Cases.
    pub cases: i64,
    /// Required materials.
    pub required: i64,
    /// Fulfilled by sharing.
    pub shared: i64,
    /// Uploaded.
    pub uploaded: i64,
    /// Trips made.
    pub trips: i64,
    /// Trips avoided.
    pub trips_avoided: i64,
}

/// Per case and per item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SharingMeasures {
    /// Per case, newest first.
    pub cases: Vec<CaseMeasure>,
    /// Per item, by code.
    pub items: Vec<ItemMeasure>,
}

impl AccessRecord {
    /// SHA-256 over every field but `audit_seq`, in a fixed order; the
    /// audit entry written with the row stores it, so an edited row no
    /// longer matches its entry in the hash-chained audit log.
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let text = format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.id,
            self.at_micros,
            self.actor,
            self.holder,
            self.case_id.map(|c| c.to_string()).unwrap_or_default(),
            self.case_no,
            self.purpose,
            self.legal_basis,
            self.data,
            self.unmasked
        );
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}
