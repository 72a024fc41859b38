//! Records read from and written to the store.

use onetrip_domain::access::{EmploymentType, Permission, Scope};
use onetrip_domain::catalogue::{ItemStatus, Module, PowerCategory, ServiceItemBody};
use onetrip_domain::identity::ApplicantIdentity;
use serde::{Deserialize, Serialize};
use time::Date;

/// Who performs a write, when, and from where. Every mutating store
/// operation takes one and records it in the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ctx {
    /// `staff:12`, `applicant:3`, `anonymous`, `system` or `cli`.
    pub actor: String,
    /// The time of the operation, microseconds since the Unix epoch.
    pub at_micros: i64,
    /// Client address, when known.
    pub ip: Option<String>,
}

impl Ctx {
    /// A context for the given actor at the given time.
    pub fn new(actor: impl Into<String>, at_micros: i64) -> Self {
        Self {
            actor: actor.into(),
            at_micros,
            ip: None,
        }
    }
}

/// Counts of what an import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Regions inserted or updated.
    pub regions: usize,
    /// Departments inserted or updated.
    pub departments: usize,
    /// Service centres inserted or updated.
    pub service_centres: usize,
    /// Life events inserted or updated.
    pub life_events: usize,
    /// Synonym groups (replacing the previous set when the document has any).
    pub synonym_groups: usize,
    /// Item versions written.
    pub items: usize,
    /// Bundles inserted or updated.
    pub bundles: usize,
}

/// Filter for catalogue listings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    /// Only this module.
    pub module: Option<Module>,
    /// Only this implementing body.
    pub department: Option<String>,
    /// Only items in this life event.
    pub life_event: Option<String>,
    /// Only items implemented in this region or inside it.
    pub region: Option<String>,
    /// Only versions with this status (default: published).
    pub status: Option<ItemStatus>,
}

/// One stored version of a catalogue item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemVersion {
    /// Row id (stable reference for cases).
    pub id: i64,
    /// Version number, 1 upwards per item code.
    pub version: i64,
    /// Draft, published or retired.
    pub status: ItemStatus,
    /// Date from which the version applies.
    pub effective_from: Date,
    /// When it was published, if it was.
    pub published_at_micros: Option<i64>,
    /// The statutory elements.
    pub body: ServiceItemBody,
}

/// A line in a catalogue listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemSummary {
    /// Item code.
    pub code: String,
    /// Version shown.
    pub version: i64,
    /// Status of that version.
    pub status: ItemStatus,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Module.
    pub module: Module,
    /// Power category.
    pub power_category: PowerCategory,
    /// Implementing body code.
    pub implementing_body: String,
    /// Region code.
    pub region: String,
    /// Promised limit in working days.
    pub promised_limit_days: i64,
    /// On-site trips.
    pub on_site_trips: i64,
    /// Life events the item belongs to.
    pub life_events: Vec<String>,
}

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Employment relation.
    pub employment: EmploymentType,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// A disabled account cannot log in and has no sessions.
    pub disabled: bool,
    /// Creation time.
    pub created_at_micros: i64,
}

/// Input for a new staff account.
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// Validated login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Employment relation.
    pub employment: EmploymentType,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A role definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRecord {
    /// Stable code such as `approval_officer`.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Permissions granted by the role.
    pub permissions: Vec<Permission>,
}

impl RoleRecord {
    /// True when the role contains a core permission.
    pub fn is_core(&self) -> bool {
        self.permissions.iter().any(|p| p.is_core())
    }
}

/// A role granted to a staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantRecord {
    /// Grant id.
    pub id: i64,
    /// Staff id.
    pub staff_id: i64,
    /// Role code.
    pub role: String,
    /// Where it applies.
    pub scope: Scope,
    /// When it was granted.
    pub granted_at_micros: i64,
}

/// An applicant account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantRecord {
    /// Id.
    pub id: i64,
    /// Natural person or legal entity, with identifier.
    pub identity: ApplicantIdentity,
    /// Name of the person or enterprise.
    pub name: String,
    /// Mobile number.
    pub mobile: String,
    /// E-mail, if given.
    pub email: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// A disabled account cannot log in.
    pub disabled: bool,
}

/// Input for a new applicant account.
#[derive(Debug, Clone)]
pub struct NewApplicant {
    /// Validated identity.
    pub identity: ApplicantIdentity,
    /// Name.
    pub name: String,
    /// Validated mobile number.
    pub mobile: String,
    /// E-mail.
    pub email: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// Who a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// A staff member.
    Staff,
    /// An applicant.
    Applicant,
}

impl PrincipalKind {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Applicant => "applicant",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "staff" => Some(Self::Staff),
            "applicant" => Some(Self::Applicant),
            _ => None,
        }
    }
}

/// A server-side session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie token (the token itself is never stored).
    pub token_hash: String,
    /// Owner kind.
    pub kind: PrincipalKind,
    /// Owner id.
    pub principal_id: i64,
    /// Per-session CSRF token.
    pub csrf_token: String,
    /// Creation time.
    pub created_at_micros: i64,
    /// Absolute expiry.
    pub expires_at_micros: i64,
    /// Client address at login.
    pub ip: Option<String>,
    /// Client software at login.
    pub user_agent: Option<String>,
}

/// Login throttling state for one key (a normalised login name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleState {
    /// Failures in the current window.
    pub failures: i64,
    /// Start of the current window.
    pub window_start_micros: i64,
    /// Locked until this time, if locked.
    pub locked_until_micros: Option<i64>,
}

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A consistent logical copy of every table, used by backup and restore.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Each table with its columns and rows.
    pub tables: Vec<TableDump>,
}

/// One table in a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableDump {
    /// Table name.
    pub name: String,
    /// Column names in order.
    pub columns: Vec<String>,
    /// Rows; each value is JSON null, an integer or a string.
    pub rows: Vec<Vec<serde_json::Value>>,
}
