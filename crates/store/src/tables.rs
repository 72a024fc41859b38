//! The table catalogue: every table with its columns, in foreign-key order.
//! Backup and restore copy exactly these; the schema-agreement test checks
//! that both engines' migrations produce exactly these.

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// 64-bit integer.
    Int,
    /// Text.
    Text,
}

impl ColumnKind {
    /// The normalised type name used in schema comparison.
    pub fn normalised(self) -> &'static str {
        match self {
            Self::Int => "int",
            Self::Text => "text",
        }
    }
}

/// One table.
#[derive(Debug, Clone, Copy)]
pub struct TableDef {
    /// Name.
    pub name: &'static str,
    /// Columns in order with kinds.
    pub columns: &'static [(&'static str, ColumnKind)],
    /// Identity column whose sequence must follow restored rows (PostgreSQL).
    pub identity: Option<&'static str>,
}

use ColumnKind::{Int, Text};

/// Every table, parents before children.
pub const TABLES: &[TableDef] = &[
    TableDef {
        name: "regions",
        columns: &[
            ("code", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("level", Text),
            ("parent_code", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "departments",
        columns: &[
            ("code", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("region_code", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "service_centres",
        columns: &[
            ("code", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("region_code", Text),
            ("address", Text),
            ("hours", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "halls",
        columns: &[
            ("centre_code", Text),
            ("code", Text),
            ("name_zh", Text),
            ("name_en", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "life_events",
        columns: &[
            ("code", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("audience", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "synonym_groups",
        columns: &[("group_no", Int), ("terms", Text)],
        identity: None,
    },
    TableDef {
        name: "item_versions",
        columns: &[
            ("id", Int),
            ("code", Text),
            ("version", Int),
            ("status", Text),
            ("effective_from", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("module", Text),
            ("power_category", Text),
            ("implementing_body", Text),
            ("region_code", Text),
            ("life_events", Text),
            ("body", Text),
            ("created_at", Int),
            ("published_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "staff",
        columns: &[
            ("id", Int),
            ("username", Text),
            ("display_name", Text),
            ("employment_type", Text),
            ("password_hash", Text),
            ("disabled", Int),
            ("created_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "roles",
        columns: &[
            ("code", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("permissions", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "staff_grants",
        columns: &[
            ("id", Int),
            ("staff_id", Int),
            ("role_code", Text),
            ("region_code", Text),
            ("department_code", Text),
            ("centre_code", Text),
            ("granted_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "applicants",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("identifier", Text),
            ("name", Text),
            ("mobile", Text),
            ("email", Text),
            ("password_hash", Text),
            ("disabled", Int),
            ("created_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "sessions",
        columns: &[
            ("token_hash", Text),
            ("principal_kind", Text),
            ("principal_id", Int),
            ("csrf_token", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("revoked_at", Int),
            ("ip", Text),
            ("user_agent", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "login_throttle",
        columns: &[
            ("throttle_key", Text),
            ("failures", Int),
            ("window_start", Int),
            ("locked_until", Int),
        ],
        identity: None,
    },
    TableDef {
        name: "audit_head",
        columns: &[("id", Int), ("seq", Int), ("hash", Text)],
        identity: None,
    },
    TableDef {
        name: "audit_log",
        columns: &[
            ("seq", Int),
            ("at_micros", Int),
            ("actor", Text),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "bundles",
        columns: &[
            ("code", Text),
            ("region_code", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("document", Text),
        ],
        identity: None,
    },
    TableDef {
        name: "calendar_notices",
        columns: &[
            ("year", Int),
            ("source", Text),
            ("document", Text),
            ("imported_at", Int),
        ],
        identity: None,
    },
    TableDef {
        name: "case_sequences",
        columns: &[("region_code", Text), ("day", Text), ("last_seq", Int)],
        identity: None,
    },
    TableDef {
        name: "cases",
        columns: &[
            ("id", Int),
            ("case_no", Text),
            ("applicant_id", Int),
            ("channel", Text),
            ("received_by", Int),
            ("bundle_code", Text),
            ("region_code", Text),
            ("centre_code", Text),
            ("title_zh", Text),
            ("title_en", Text),
            ("status", Text),
            ("form", Text),
            ("checklist", Text),
            ("delivery_method", Text),
            ("delivery", Text),
            ("submitted_on", Text),
            ("accept_due", Text),
            ("accepted_on", Text),
            ("acceptance", Text),
            ("decision_due", Text),
            ("promised_due", Text),
            ("due_provisional", Int),
            ("warning", Text),
            ("decided_on", Text),
            ("delivery_due", Text),
            ("completed_at", Int),
            ("status_nonce", Text),
            ("revision", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "case_parts",
        columns: &[
            ("id", Int),
            ("case_id", Int),
            ("seq", Int),
            ("item_code", Text),
            ("item_version", Int),
            ("situation_code", Text),
            ("department_code", Text),
            ("region_code", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("result_zh", Text),
            ("result_en", Text),
            ("status", Text),
            ("assignee_id", Int),
            ("statutory_days", Int),
            ("promised_days", Int),
            ("promised_trips", Int),
            ("extension_days", Int),
            ("extension_reason", Text),
            ("extension_by", Int),
            ("statutory_due", Text),
            ("promised_due", Text),
            ("due_provisional", Int),
            ("warning", Text),
            ("decision", Text),
            ("decision_reasons", Text),
            ("decided_by", Int),
            ("decided_at", Int),
            ("valid_until", Text),
            ("certificate_no", Text),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "case_form_versions",
        columns: &[
            ("case_id", Int),
            ("revision", Int),
            ("form", Text),
            ("saved_by", Text),
            ("saved_at", Int),
        ],
        identity: None,
    },
    TableDef {
        name: "case_materials",
        columns: &[
            ("case_id", Int),
            ("material_key", Text),
            ("revision", Int),
            ("kind", Text),
            ("file_sha256", Text),
            ("file_name", Text),
            ("content_type", Text),
            ("size_bytes", Int),
            ("form_text", Text),
            ("provided_by", Text),
            ("provided_at", Int),
        ],
        identity: None,
    },
    TableDef {
        name: "case_corrections",
        columns: &[
            ("id", Int),
            ("case_id", Int),
            ("notice_no", Text),
            ("items", Text),
            ("issued_by", Text),
            ("issued_at", Int),
            ("answered_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "case_events",
        columns: &[
            ("id", Int),
            ("case_id", Int),
            ("at_micros", Int),
            ("actor", Text),
            ("action", Text),
            ("part_seq", Int),
            ("from_status", Text),
            ("to_status", Text),
            ("note", Text),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "case_pauses",
        columns: &[
            ("id", Int),
            ("case_id", Int),
            ("kind", Text),
            ("reason", Text),
            ("from_date", Text),
            ("until_date", Text),
            ("started_by", Text),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "case_notices",
        columns: &[
            ("id", Int),
            ("case_id", Int),
            ("kind", Text),
            ("notice_no", Text),
            ("content", Text),
            ("issued_by", Text),
            ("issued_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "certificates",
        columns: &[
            ("id", Int),
            ("cert_no", Text),
            ("case_id", Int),
            ("part_seq", Int),
            ("item_code", Text),
            ("name_zh", Text),
            ("name_en", Text),
            ("holder_name", Text),
            ("holder_identifier", Text),
            ("issuer_code", Text),
            ("issued_on", Text),
            ("valid_until", Text),
            ("status", Text),
            ("created_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "case_trips",
        columns: &[
            ("id", Int),
            ("case_id", Int),
            ("purpose", Text),
            ("recorded_by", Text),
            ("at_micros", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "case_escalations",
        columns: &[
            ("case_id", Int),
            ("part_seq", Int),
            ("level", Text),
            ("at_micros", Int),
        ],
        identity: None,
    },
    TableDef {
        name: "outbox",
        columns: &[
            ("id", Int),
            ("channel", Text),
            ("recipient", Text),
            ("subject", Text),
            ("body", Text),
            ("case_id", Int),
            ("status", Text),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("last_error", Text),
            ("claimed_by", Text),
            ("claimed_until", Int),
            ("created_at", Int),
            ("sent_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "messages",
        columns: &[
            ("id", Int),
            ("principal_kind", Text),
            ("principal_id", Int),
            ("subject", Text),
            ("body", Text),
            ("case_id", Int),
            ("outbox_id", Int),
            ("created_at", Int),
            ("read_at", Int),
        ],
        identity: Some("id"),
    },
    TableDef {
        name: "job_leases",
        columns: &[("name", Text), ("holder", Text), ("until_micros", Int)],
        identity: None,
    },
    TableDef {
        name: "api_tokens",
        columns: &[
            ("id", Int),
            ("token_hash", Text),
            ("staff_id", Int),
            ("name", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("revoked_at", Int),
        ],
        identity: Some("id"),
    },
];

/// Looks a table up by name.
pub fn table(name: &str) -> Option<&'static TableDef> {
    TABLES.iter().find(|t| t.name == name)
}
