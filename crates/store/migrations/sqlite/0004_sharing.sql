-- Once-only data sharing: the population and legal-entity registries, the
-- e-certificate library (certificates gain a type, a source and a revocation
-- reason), external providers and their signed message log, consents,
-- evidence used by cases and the access log of personal data.

CREATE TABLE population_records (
    id_number TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    address TEXT NOT NULL,
    household_address TEXT NOT NULL,
    household_head TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE legal_entities (
    credit_code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    legal_representative TEXT NOT NULL,
    legal_representative_id TEXT NOT NULL,
    address TEXT NOT NULL,
    registered_capital_yuan INTEGER NOT NULL,
    established_on TEXT NOT NULL,
    status TEXT NOT NULL,
    registration_authority TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

ALTER TABLE certificates ADD COLUMN cert_type TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN source TEXT NOT NULL DEFAULT 'case';
ALTER TABLE certificates ADD COLUMN revoked_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX certificates_holder ON certificates (holder_identifier);

CREATE TABLE sharing_providers (
    name TEXT PRIMARY KEY NOT NULL,
    base_url TEXT NOT NULL,
    public_key TEXT NOT NULL,
    evidence_types TEXT NOT NULL,
    timeout_ms INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE provider_message_head (
    id INTEGER PRIMARY KEY NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO provider_message_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE provider_messages (
    seq INTEGER PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    direction TEXT NOT NULL,
    case_id INTEGER,
    body TEXT NOT NULL,
    signature TEXT NOT NULL,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    at_micros INTEGER NOT NULL
);

CREATE TABLE sharing_consents (
    id INTEGER PRIMARY KEY NOT NULL,
    applicant_id INTEGER NOT NULL REFERENCES applicants(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    material_key TEXT NOT NULL,
    evidence_type TEXT NOT NULL,
    decision TEXT NOT NULL,
    decided_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sharing_consents_applicant ON sharing_consents (applicant_id);

CREATE TABLE case_evidence (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    material_key TEXT NOT NULL,
    evidence_type TEXT NOT NULL,
    source TEXT NOT NULL,
    provider TEXT NOT NULL,
    reference TEXT NOT NULL,
    fields TEXT NOT NULL,
    consent_id INTEGER,
    message_seq INTEGER,
    used_by TEXT NOT NULL,
    used_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, material_key)
);

CREATE TABLE data_access_log (
    id INTEGER PRIMARY KEY NOT NULL,
    at_micros INTEGER NOT NULL,
    actor TEXT NOT NULL,
    holder TEXT NOT NULL,
    case_id INTEGER,
    case_no TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    data TEXT NOT NULL,
    unmasked INTEGER NOT NULL,
    audit_seq INTEGER NOT NULL
);
CREATE INDEX data_access_log_holder ON data_access_log (holder, at_micros);
