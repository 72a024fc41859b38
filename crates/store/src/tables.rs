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
];

/// Looks a table up by name.
pub fn table(name: &str) -> Option<&'static TableDef> {
    TABLES.iter().find(|t| t.name == name)
}
