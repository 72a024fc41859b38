//! OneTrip store: every operation is a unit of work named after a domain
//! operation and runs in one transaction, writing its audit entry in that
//! same transaction.
//!
//! Two engines implement [`Store`]: SQLite (the embedded default) and
//! PostgreSQL (production). The SQL both engines understand lives once in
//! `portable/` and is compiled into each engine module with that engine's
//! concrete sqlx types; what differs between engines (how a write
//! transaction starts, row locking, identity sequences, migrations) lives in
//! each engine's `idioms.rs`.

pub mod case_model;
pub mod case_store;
pub mod error;
pub mod hall_model;
pub mod hall_store;
pub mod model;
pub mod postgres;
pub mod sharing_model;
pub mod sharing_store;
pub mod sqlite;
pub mod tables;

use std::sync::Arc;

use async_trait::async_trait;
use onetrip_domain::access::{Scope, StaffPrincipal};
use onetrip_domain::audit::AuditEntry;
use onetrip_domain::catalogue::{CatalogueDocument, LifeEvent, ServiceItemBody, SynonymGroup};
use onetrip_domain::region::{Department, Region, ServiceCentre};
use time::Date;

pub use case_model::*;
pub use case_store::CaseStore;
pub use error::{StoreError, StoreResult};
pub use hall_model::*;
pub use hall_store::HallStore;
pub use model::*;
pub use sharing_model::*;
pub use sharing_store::SharingStore;

/// The operations OneTrip performs on its database.
#[async_trait]
pub trait Store: CaseStore + HallStore + SharingStore + Send + Sync + std::fmt::Debug {
    /// Which engine this is.
    fn engine(&self) -> Engine;
    /// Applies pending migrations.
    async fn migrate(&self) -> StoreResult<()>;
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;
    /// Names of the tables and their columns as the engine reports them, for
    /// the schema-agreement check: `(table, column, normalised type)`.
    async fn describe_schema(&self) -> StoreResult<Vec<(String, String, String)>>;

    // ---- catalogue ----
    /// Validates and imports a whole catalogue document in one transaction:
    /// upserts regions, departments, centres, life events, replaces synonyms
    /// when given, and writes item versions. Any error imports nothing.
    async fn import_catalogue(
        &self,
        ctx: &Ctx,
        doc: &CatalogueDocument,
    ) -> StoreResult<ImportSummary>;
    /// Exports the catalogue (every version) as a document; audited.
    async fn export_catalogue(&self, ctx: &Ctx) -> StoreResult<CatalogueDocument>;
    /// All regions, ordered by code.
    async fn list_regions(&self) -> StoreResult<Vec<Region>>;
    /// All departments, ordered by code.
    async fn list_departments(&self) -> StoreResult<Vec<Department>>;
    /// All service centres with their halls.
    async fn list_service_centres(&self) -> StoreResult<Vec<ServiceCentre>>;
    /// All life events.
    async fn list_life_events(&self) -> StoreResult<Vec<LifeEvent>>;
    /// All synonym groups.
    async fn list_synonyms(&self) -> StoreResult<Vec<SynonymGroup>>;
    /// Item summaries matching the filter, one line per item, ordered by code.
    async fn list_items(&self, filter: &ItemFilter) -> StoreResult<Vec<ItemSummary>>;
    /// The published version of an item.
    async fn published_item(&self, code: &str) -> StoreResult<Option<ItemVersion>>;
    /// The draft version of an item, if one is open.
    async fn draft_item(&self, code: &str) -> StoreResult<Option<ItemVersion>>;
    /// One exact version.
    async fn item_version(&self, code: &str, version: i64) -> StoreResult<Option<ItemVersion>>;
    /// Every version of an item, newest first.
    async fn item_history(&self, code: &str) -> StoreResult<Vec<ItemVersion>>;
    /// Every published version (the search index is built from these).
    async fn published_items(&self) -> StoreResult<Vec<ItemVersion>>;
    /// Creates the item's draft or replaces the open draft's content. The
    /// body is validated against the known departments and regions first.
    async fn save_item_draft(
        &self,
        ctx: &Ctx,
        body: &ServiceItemBody,
        effective_from: Date,
    ) -> StoreResult<ItemVersion>;
    /// Publishes a draft version: the previously published version becomes
    /// retired. Publishing a version that is no longer a draft is a conflict.
    async fn publish_item(&self, ctx: &Ctx, code: &str, version: i64) -> StoreResult<ItemVersion>;
    /// Retires the published version of an item.
    async fn retire_item(&self, ctx: &Ctx, code: &str) -> StoreResult<()>;

    // ---- staff, roles, grants ----
    /// Creates a staff account. A taken login name is a conflict.
    async fn create_staff(&self, ctx: &Ctx, new: &NewStaff) -> StoreResult<StaffRecord>;
    /// Looks a staff account up by login name.
    async fn staff_by_username(&self, username: &str) -> StoreResult<Option<StaffRecord>>;
    /// Looks a staff account up by id.
    async fn staff_by_id(&self, id: i64) -> StoreResult<Option<StaffRecord>>;
    /// All staff accounts ordered by login name.
    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>>;
    /// Enables or disables an account; disabling ends every session at once.
    async fn set_staff_disabled(&self, ctx: &Ctx, id: i64, disabled: bool) -> StoreResult<()>;
    /// Replaces a staff member's password hash and ends their sessions.
    async fn set_staff_password(&self, ctx: &Ctx, id: i64, password_hash: &str) -> StoreResult<()>;
    /// The staff member with their grants resolved to permissions.
    async fn staff_principal(&self, id: i64) -> StoreResult<Option<StaffPrincipal>>;
    /// All roles.
    async fn list_roles(&self) -> StoreResult<Vec<RoleRecord>>;
    /// Creates or updates a role. Adding a core permission to a role that any
    /// contractor holds is refused.
    async fn save_role(&self, ctx: &Ctx, role: &RoleRecord) -> StoreResult<()>;
    /// Grants a role in a scope. A role with a core permission cannot be
    /// granted to contractor staff.
    async fn grant_role(
        &self,
        ctx: &Ctx,
        staff_id: i64,
        role: &str,
        scope: &Scope,
    ) -> StoreResult<i64>;
    /// Removes a grant.
    async fn revoke_grant(&self, ctx: &Ctx, grant_id: i64) -> StoreResult<()>;
    /// The grants of one staff member.
    async fn list_grants(&self, staff_id: i64) -> StoreResult<Vec<GrantRecord>>;

    // ---- applicants ----
    /// Registers an applicant; an identifier already registered is a conflict.
    async fn register_applicant(
        &self,
        ctx: &Ctx,
        new: &NewApplicant,
    ) -> StoreResult<ApplicantRecord>;
    /// Looks an applicant up by ID number or credit code.
    async fn applicant_by_identifier(
        &self,
        identifier: &str,
    ) -> StoreResult<Option<ApplicantRecord>>;
    /// Looks an applicant up by id.
    async fn applicant_by_id(&self, id: i64) -> StoreResult<Option<ApplicantRecord>>;
    /// Applicants ordered by id, at most `limit`.
    async fn list_applicants(&self, limit: i64) -> StoreResult<Vec<ApplicantRecord>>;

    // ---- sessions and login ----
    /// Current throttle state for a key.
    async fn throttle_state(&self, key: &str) -> StoreResult<ThrottleState>;
    /// Records a failed login (audited) and updates throttling: `max_failures`
    /// within `window_micros` locks the key for `lock_micros`.
    async fn record_login_failure(
        &self,
        ctx: &Ctx,
        key: &str,
        max_failures: i64,
        window_micros: i64,
        lock_micros: i64,
    ) -> StoreResult<ThrottleState>;
    /// Records a refused attempt on a locked key (audited, no state change).
    async fn record_login_throttled(&self, ctx: &Ctx, key: &str) -> StoreResult<()>;
    /// Starts a session after a successful login (audited), clearing the key's throttle.
    async fn create_session(
        &self,
        ctx: &Ctx,
        session: &SessionRecord,
        throttle_key: &str,
    ) -> StoreResult<()>;
    /// A live session: not revoked, not expired at `now_micros`, owner not disabled.
    async fn live_session(
        &self,
        token_hash: &str,
        now_micros: i64,
    ) -> StoreResult<Option<SessionRecord>>;
    /// Ends one session (logout or revocation).
    async fn revoke_session(&self, ctx: &Ctx, token_hash: &str) -> StoreResult<()>;
    /// Ends every session of a principal; returns how many were ended.
    async fn revoke_sessions_of(&self, ctx: &Ctx, kind: PrincipalKind, id: i64)
    -> StoreResult<u64>;
    /// Live sessions of a principal.
    async fn sessions_of(
        &self,
        kind: PrincipalKind,
        id: i64,
        now_micros: i64,
    ) -> StoreResult<Vec<SessionRecord>>;

    // ---- audit ----
    /// Appends a stand-alone audited event (for example a data export).
    async fn record_event(
        &self,
        ctx: &Ctx,
        action: &str,
        subject: &str,
        detail: &serde_json::Value,
    ) -> StoreResult<i64>;
    /// Entries with `seq > after_seq`, ascending, at most `limit`.
    async fn audit_entries(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditEntry>>;
    /// The newest entries, newest first.
    async fn recent_audit(&self, limit: i64) -> StoreResult<Vec<AuditEntry>>;
    /// Sequence number and hash of the last entry.
    async fn audit_head(&self) -> StoreResult<(i64, String)>;

    // ---- backup ----
    /// A consistent copy of every table taken in one read transaction.
    async fn snapshot(&self) -> StoreResult<Snapshot>;
    /// Loads a snapshot into an empty database (refused if any table has rows).
    async fn restore_snapshot(&self, snapshot: &Snapshot) -> StoreResult<()>;
}

/// Opens the store named by a database URL: `sqlite:` or a file path for
/// SQLite, `postgres://` or `postgresql://` for PostgreSQL.
pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(
            postgres::PgStore::connect(url, max_connections).await?,
        ))
    } else {
        Ok(Arc::new(
            sqlite::SqliteStore::connect(url, max_connections).await?,
        ))
    }
}
