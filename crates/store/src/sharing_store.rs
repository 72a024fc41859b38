//! The once-only data sharing operations of the store. Every mutating
//! operation is one transaction that appends its audit entry; every read of
//! personal data that is *used* (evidence, prefill, unmasked views) writes an
//! access-log row and its audit entry in the same transaction.

use async_trait::async_trait;
use onetrip_domain::evidence::SharingDocument;

use crate::sharing_model::*;
use crate::{Ctx, StoreResult};

/// Registries, the e-certificate library, providers, the message log,
/// consents, evidence use, the access log and the measures.
#[async_trait]
pub trait SharingStore: Send + Sync {
    /// Imports a validated document in one transaction: persons and
    /// entities are upserted by identifier, certificates by number. A
    /// certificate issued by a OneTrip case cannot be replaced by an import
    /// (conflict). Any error imports nothing.
    async fn import_sharing(
        &self,
        ctx: &Ctx,
        doc: &SharingDocument,
    ) -> StoreResult<SharingImportSummary>;
    /// The person with this ID number (not logged: callers log the use).
    async fn population_record(&self, id_number: &str) -> StoreResult<Option<StoredPerson>>;
    /// The entity with this credit code.
    async fn legal_entity(&self, credit_code: &str) -> StoreResult<Option<StoredEntity>>;
    /// One certificate of the library.
    async fn library_certificate(&self, cert_no: &str) -> StoreResult<Option<LibraryCertificate>>;
    /// Every certificate of a holder, newest first.
    async fn certificates_of(&self, holder: &str) -> StoreResult<Vec<LibraryCertificate>>;
    /// Revokes a certificate (audited); revoking twice is a conflict.
    async fn revoke_certificate(&self, ctx: &Ctx, cert_no: &str, reason: &str) -> StoreResult<()>;

    /// Connects or updates an external provider (audited).
    async fn save_provider(&self, ctx: &Ctx, provider: &ProviderRecord) -> StoreResult<()>;
    /// Every provider, by name.
    async fn list_providers(&self) -> StoreResult<Vec<ProviderRecord>>;
    /// Appends entries to the message log in order, each hashing the
    /// previous one; returns their sequence numbers.
    async fn append_provider_messages(
        &self,
        ctx: &Ctx,
        messages: &[NewProviderMessage],
    ) -> StoreResult<Vec<i64>>;
    /// Message-log entries with `seq > after`, ascending.
    async fn provider_messages(&self, after: i64, limit: i64) -> StoreResult<Vec<ProviderMessage>>;

    /// Records a consent decision (audited).
    async fn record_consent(&self, ctx: &Ctx, consent: &NewConsent) -> StoreResult<ConsentRecord>;
    /// Revokes a granted consent of this applicant (audited). While the case
    /// is still a draft, the material it fulfilled is no longer fulfilled.
    async fn revoke_consent(
        &self,
        ctx: &Ctx,
        applicant_id: i64,
        consent_id: i64,
    ) -> StoreResult<ConsentRecord>;
    /// The consents of an applicant, newest first.
    async fn consents_of(&self, applicant_id: i64) -> StoreResult<Vec<ConsentRecord>>;

    /// Marks a material fulfilled by shared evidence (免提交): a material
    /// version of kind `shared` with its provenance, the access-log row and
    /// the audit entry, in one transaction. Allowed on a draft, or on a
    /// submitted case by staff at the window.
    async fn use_evidence(
        &self,
        ctx: &Ctx,
        evidence: &EvidenceUse,
        access: &NewAccess,
    ) -> StoreResult<()>;
    /// Provenance of every fulfilled material of a case.
    async fn case_evidence(&self, case_id: i64) -> StoreResult<Vec<CaseEvidenceRecord>>;

    /// Records one read of personal data with its audit entry.
    async fn record_access(&self, ctx: &Ctx, access: &NewAccess) -> StoreResult<i64>;
    /// Reads of a holder's data, newest first.
    async fn access_log_for(&self, holder: &str, limit: i64) -> StoreResult<Vec<AccessRecord>>;
    /// Every access-log row with `id > after`, ascending (for verification).
    async fn access_log_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AccessRecord>>;

    /// Materials required, fulfilled by sharing and uploaded, trips made and
    /// avoided, per non-draft case and per item.
    async fn sharing_measures(&self) -> StoreResult<SharingMeasures>;
}
