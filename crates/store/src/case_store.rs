//! The case-handling operations of the store. Each mutating operation is
//! one transaction that also appends its audit entry and queues its
//! notifications, so a change, its record and its messages commit together.

use async_trait::async_trait;
use onetrip_domain::calendar::{HolidayNotice, WarningLevel};
use onetrip_domain::case::ApplicationForm;
use onetrip_domain::catalogue::Bundle;
use time::Date;

use crate::case_model::*;
use crate::{Ctx, StoreResult};

/// Case handling, the working-day calendar, the outbox, jobs and API tokens.
#[async_trait]
pub trait CaseStore: Send + Sync {
    // ---- calendar ----
    /// Every imported holiday notice, by year.
    async fn calendar_notices(&self) -> StoreResult<Vec<StoredNotice>>;
    /// Imports (or replaces) the notice of one year and recomputes the due
    /// dates of every open case in the same transaction.
    async fn import_calendar_notice(
        &self,
        ctx: &Ctx,
        notice: &HolidayNotice,
    ) -> StoreResult<CalendarImport>;

    // ---- bundles ----
    /// Every bundle.
    async fn list_bundles(&self) -> StoreResult<Vec<Bundle>>;
    /// One bundle.
    async fn bundle(&self, code: &str) -> StoreResult<Option<Bundle>>;

    // ---- cases ----
    /// Files a case: numbers it (region + date + daily sequence drawn in
    /// this transaction), stores its parts and first form version. Online
    /// cases start as drafts; window cases start submitted.
    async fn open_case(&self, ctx: &Ctx, new: &NewCase) -> StoreResult<CaseRecord>;
    /// Replaces a draft's form (a new form version).
    async fn save_case_form(
        &self,
        ctx: &Ctx,
        case_id: i64,
        form: &ApplicationForm,
    ) -> StoreResult<CaseRecord>;
    /// Adds a version of one material. Allowed while a draft, while waiting
    /// for pre-review (window staff), and while a correction notice is open
    /// (only the flagged materials).
    async fn provide_material(
        &self,
        ctx: &Ctx,
        case_id: i64,
        actor: CaseActor,
        material: &NewMaterial,
    ) -> StoreResult<MaterialRecord>;
    /// Applies one lifecycle command. A command not allowed in the current
    /// state is a conflict naming the allowed actions; the loser of a race
    /// gets the same conflict.
    async fn apply_case_change(&self, ctx: &Ctx, change: &CaseChange) -> StoreResult<CaseRecord>;
    /// Records an on-site visit of the applicant.
    async fn record_trip(&self, ctx: &Ctx, case_id: i64, purpose: &str) -> StoreResult<()>;
    /// A case with its parts only (what authorisation needs).
    async fn case_head(&self, case_id: i64) -> StoreResult<Option<(CaseRecord, Vec<PartRecord>)>>;
    /// A case with everything about it.
    async fn case_detail(&self, case_id: i64) -> StoreResult<Option<CaseDetail>>;
    /// The case with this number.
    async fn case_id_by_number(&self, case_no: &str) -> StoreResult<Option<i64>>;
    /// The case whose public status nonce this is.
    async fn case_id_by_status_nonce(&self, nonce: &str) -> StoreResult<Option<i64>>;
    /// Cases matching the filter, newest change first.
    async fn list_cases(&self, filter: &CaseFilter) -> StoreResult<Vec<CaseSummary>>;
    /// Parts in department inboxes, earliest due first.
    async fn inbox(&self, filter: &InboxFilter) -> StoreResult<Vec<TaskRow>>;
    /// A certificate by number.
    async fn certificate(&self, cert_no: &str) -> StoreResult<Option<CertificateRecord>>;
    /// Per-item trip figures of completed cases.
    async fn trip_stats(&self) -> StoreResult<Vec<TripStat>>;
    /// Case counts by state.
    async fn case_counts(&self) -> StoreResult<Vec<(String, i64)>>;

    // ---- deadlines ----
    /// Cases still waiting for acceptance whose acceptance due date is
    /// before `today`.
    async fn cases_past_acceptance(&self, today: Date) -> StoreResult<Vec<i64>>;
    /// Clock inputs of every case whose clock runs (acceptance or review).
    async fn open_clocks(&self) -> StoreResult<Vec<OpenClock>>;
    /// Stores a newly computed warning level of a case (part seq 0 stands
    /// for the acceptance clock). When the level is yellow or red and that
    /// threshold was not escalated before, records the escalation, audits it
    /// and queues `notifications`; returns whether it escalated. Exactly
    /// once per threshold, also when several instances race.
    async fn record_warning(
        &self,
        ctx: &Ctx,
        case_id: i64,
        part_seq: i64,
        level: WarningLevel,
        notifications: &[NewNotification],
    ) -> StoreResult<bool>;

    // ---- outbox ----
    /// Claims up to `limit` due outbox rows for `holder` until
    /// `now + lease_micros`; rows claimed by a live holder are skipped.
    async fn claim_outbox(
        &self,
        holder: &str,
        now: i64,
        lease_micros: i64,
        limit: i64,
    ) -> StoreResult<Vec<OutboxRecord>>;
    /// Records the outcome of one attempt (only by the claim holder). An
    /// in-app message is written to the recipient's inbox in the same
    /// transaction as it is marked sent.
    async fn complete_outbox(
        &self,
        ctx: &Ctx,
        id: i64,
        holder: &str,
        outcome: &DeliveryOutcome,
    ) -> StoreResult<()>;
    /// Outbox rows, newest first, optionally of one case.
    async fn list_outbox(&self, case_id: Option<i64>, limit: i64)
    -> StoreResult<Vec<OutboxRecord>>;
    /// In-app messages of a principal (`applicant` or `staff`), newest first.
    async fn messages_for(
        &self,
        kind: &str,
        id: i64,
        limit: i64,
    ) -> StoreResult<Vec<MessageRecord>>;

    // ---- jobs ----
    /// Takes or renews the named lease for `holder` until `until`; true when
    /// held. Only one instance runs a leased job at a time.
    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> StoreResult<bool>;

    // ---- API tokens ----
    /// Stores a new token's hash for a staff account.
    async fn create_api_token(
        &self,
        ctx: &Ctx,
        staff_id: i64,
        name: &str,
        token_hash: &str,
        expires_at: i64,
    ) -> StoreResult<ApiTokenRecord>;
    /// The live token with this hash.
    async fn api_token(&self, token_hash: &str, now: i64) -> StoreResult<Option<ApiTokenRecord>>;
    /// Tokens of a staff account.
    async fn api_tokens_of(&self, staff_id: i64) -> StoreResult<Vec<ApiTokenRecord>>;
    /// Revokes a token.
    async fn revoke_api_token(&self, ctx: &Ctx, id: i64) -> StoreResult<()>;
}
