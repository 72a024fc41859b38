-- Case handling: bundles, the working-day calendar, cases and their parts,
-- materials, corrections, pauses, notices, certificates, trips,
-- escalations, the notification outbox, in-app messages, job leases and
-- API tokens.

CREATE TABLE bundles (
    code TEXT PRIMARY KEY NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    document TEXT NOT NULL
);

CREATE TABLE calendar_notices (
    year INTEGER PRIMARY KEY NOT NULL,
    source TEXT NOT NULL,
    document TEXT NOT NULL,
    imported_at INTEGER NOT NULL
);

CREATE TABLE case_sequences (
    region_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (region_code, day)
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY NOT NULL,
    case_no TEXT NOT NULL UNIQUE,
    applicant_id INTEGER NOT NULL REFERENCES applicants(id),
    channel TEXT NOT NULL,
    received_by INTEGER,
    bundle_code TEXT,
    region_code TEXT NOT NULL,
    centre_code TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    status TEXT NOT NULL,
    form TEXT NOT NULL,
    checklist TEXT NOT NULL,
    delivery_method TEXT NOT NULL,
    delivery TEXT NOT NULL,
    submitted_on TEXT,
    accept_due TEXT,
    accepted_on TEXT,
    acceptance TEXT,
    decision_due TEXT,
    promised_due TEXT,
    due_provisional INTEGER NOT NULL,
    warning TEXT NOT NULL,
    decided_on TEXT,
    delivery_due TEXT,
    completed_at INTEGER,
    status_nonce TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX cases_applicant ON cases (applicant_id);
CREATE INDEX cases_status ON cases (status);
CREATE UNIQUE INDEX cases_status_nonce ON cases (status_nonce);

CREATE TABLE case_parts (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    item_code TEXT NOT NULL,
    item_version INTEGER NOT NULL,
    situation_code TEXT NOT NULL,
    department_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    result_zh TEXT NOT NULL,
    result_en TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee_id INTEGER,
    statutory_days INTEGER NOT NULL,
    promised_days INTEGER NOT NULL,
    promised_trips INTEGER NOT NULL,
    extension_days INTEGER NOT NULL,
    extension_reason TEXT NOT NULL,
    extension_by INTEGER,
    statutory_due TEXT,
    promised_due TEXT,
    due_provisional INTEGER NOT NULL,
    warning TEXT NOT NULL,
    decision TEXT,
    decision_reasons TEXT NOT NULL,
    decided_by INTEGER,
    decided_at INTEGER,
    valid_until TEXT,
    certificate_no TEXT,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_parts_queue ON case_parts (department_code, status);

CREATE TABLE case_form_versions (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    revision INTEGER NOT NULL,
    form TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, revision)
);

CREATE TABLE case_materials (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    material_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    kind TEXT NOT NULL,
    file_sha256 TEXT,
    file_name TEXT,
    content_type TEXT,
    size_bytes INTEGER,
    form_text TEXT,
    provided_by TEXT NOT NULL,
    provided_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, material_key, revision)
);

CREATE TABLE case_corrections (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    notice_no TEXT NOT NULL,
    items TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    answered_at INTEGER
);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at_micros INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    part_seq INTEGER,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id);

CREATE TABLE case_pauses (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    from_date TEXT NOT NULL,
    until_date TEXT,
    started_by TEXT NOT NULL
);

CREATE TABLE case_notices (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    notice_no TEXT NOT NULL UNIQUE,
    content TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at INTEGER NOT NULL
);

CREATE TABLE certificates (
    id INTEGER PRIMARY KEY NOT NULL,
    cert_no TEXT NOT NULL UNIQUE,
    case_id INTEGER REFERENCES cases(id),
    part_seq INTEGER,
    item_code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    holder_identifier TEXT NOT NULL,
    issuer_code TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    valid_until TEXT,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE case_trips (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    purpose TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    at_micros INTEGER NOT NULL
);

CREATE TABLE case_escalations (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    part_seq INTEGER NOT NULL,
    level TEXT NOT NULL,
    at_micros INTEGER NOT NULL,
    PRIMARY KEY (case_id, part_seq, level)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    case_id INTEGER,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_until INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_id INTEGER NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    case_id INTEGER,
    outbox_id INTEGER NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX messages_principal ON messages (principal_kind, principal_id);

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    until_micros INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
