-- The service hall: categories, windows (counters) with work profiles,
-- staff sign-ins, queue tickets numbered per category and day, the live
-- event feed of the display boards, appointment slots and bookings.

CREATE TABLE hall_categories (
    centre_code TEXT NOT NULL,
    hall_code TEXT NOT NULL,
    code TEXT NOT NULL,
    module TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (centre_code, hall_code, code)
);

CREATE TABLE counters (
    id INTEGER PRIMARY KEY NOT NULL,
    centre_code TEXT NOT NULL,
    hall_code TEXT NOT NULL,
    number INTEGER NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    profile TEXT NOT NULL,
    active INTEGER NOT NULL,
    priority_streak INTEGER NOT NULL,
    UNIQUE (centre_code, hall_code, number)
);

CREATE TABLE counter_sessions (
    counter_id INTEGER PRIMARY KEY NOT NULL REFERENCES counters(id),
    staff_id INTEGER NOT NULL UNIQUE,
    since INTEGER NOT NULL
);

CREATE TABLE ticket_sequences (
    centre_code TEXT NOT NULL,
    hall_code TEXT NOT NULL,
    category TEXT NOT NULL,
    day TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (centre_code, hall_code, category, day)
);

CREATE TABLE appointment_slots (
    id INTEGER PRIMARY KEY NOT NULL,
    centre_code TEXT NOT NULL,
    hall_code TEXT NOT NULL,
    category TEXT NOT NULL,
    day TEXT NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    booked INTEGER NOT NULL,
    UNIQUE (centre_code, hall_code, category, day, start_minute),
    CHECK (booked >= 0 AND booked <= capacity)
);

CREATE TABLE appointments (
    id INTEGER PRIMARY KEY NOT NULL,
    slot_id INTEGER NOT NULL REFERENCES appointment_slots(id),
    applicant_id INTEGER NOT NULL,
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    booked_at INTEGER NOT NULL,
    cancelled_at INTEGER,
    checked_in_at INTEGER,
    ticket_id INTEGER,
    reminded_at INTEGER
);
CREATE UNIQUE INDEX appointments_one_per_slot ON appointments (slot_id, applicant_id) WHERE status = 'booked';
CREATE INDEX appointments_by_applicant ON appointments (applicant_id, status);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY NOT NULL,
    centre_code TEXT NOT NULL,
    hall_code TEXT NOT NULL,
    day TEXT NOT NULL,
    category TEXT NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    priority TEXT NOT NULL,
    green_reason TEXT,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,
    called_at INTEGER,
    started_at INTEGER,
    finished_at INTEGER,
    counter_id INTEGER,
    staff_id INTEGER,
    target_counter_id INTEGER,
    recalls INTEGER NOT NULL,
    transfers INTEGER NOT NULL,
    outcome TEXT,
    case_id INTEGER,
    applicant_id INTEGER,
    phone TEXT,
    appointment_id INTEGER,
    token TEXT NOT NULL UNIQUE,
    near_notified INTEGER NOT NULL,
    issued_by TEXT NOT NULL,
    UNIQUE (centre_code, hall_code, day, number)
);
CREATE INDEX tickets_waiting ON tickets (centre_code, hall_code, day, status);
-- A window deals with at most one ticket at a time, and a ticket has one
-- window: so no ticket is ever called by two windows.
CREATE UNIQUE INDEX tickets_one_current ON tickets (counter_id) WHERE status IN ('called', 'serving');

CREATE TABLE hall_events (
    id INTEGER PRIMARY KEY NOT NULL,
    centre_code TEXT NOT NULL,
    hall_code TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ticket_number TEXT NOT NULL,
    counter_number INTEGER,
    detail TEXT NOT NULL
);
CREATE INDEX hall_events_by_hall ON hall_events (centre_code, hall_code, id);
