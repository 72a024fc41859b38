-- OneTrip foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql:
-- the schema agreement test compares both.

CREATE TABLE regions (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT REFERENCES regions(code)
);

CREATE TABLE departments (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code)
);

CREATE TABLE service_centres (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    address TEXT NOT NULL,
    hours TEXT NOT NULL
);

CREATE TABLE halls (
    centre_code TEXT NOT NULL REFERENCES service_centres(code),
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    PRIMARY KEY (centre_code, code)
);

CREATE TABLE life_events (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    audience TEXT NOT NULL
);

CREATE TABLE synonym_groups (
    group_no INTEGER PRIMARY KEY NOT NULL,
    terms TEXT NOT NULL
);

CREATE TABLE item_versions (
    id INTEGER PRIMARY KEY NOT NULL,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    module TEXT NOT NULL,
    power_category TEXT NOT NULL,
    implementing_body TEXT NOT NULL REFERENCES departments(code),
    region_code TEXT NOT NULL REFERENCES regions(code),
    life_events TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    published_at INTEGER,
    UNIQUE (code, version)
);
CREATE INDEX item_versions_status ON item_versions (status, module);
-- At most one published and one draft version per item.
CREATE UNIQUE INDEX item_versions_one_published ON item_versions (code) WHERE status = 'published';
CREATE UNIQUE INDEX item_versions_one_draft ON item_versions (code) WHERE status = 'draft';

CREATE TABLE staff (
    id INTEGER PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE roles (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    permissions TEXT NOT NULL
);

CREATE TABLE staff_grants (
    id INTEGER PRIMARY KEY NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    role_code TEXT NOT NULL REFERENCES roles(code),
    region_code TEXT NOT NULL REFERENCES regions(code),
    department_code TEXT NOT NULL,
    centre_code TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    UNIQUE (staff_id, role_code, region_code, department_code, centre_code)
);

CREATE TABLE applicants (
    id INTEGER PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    identifier TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    mobile TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_id INTEGER NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_principal ON sessions (principal_kind, principal_id);

CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER
);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY NOT NULL,
    at_micros INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
