-- The hall's durable state: tickets of every day (history is never deleted), the windows,
-- one row of hall-wide state, an append-only event log, and answered requests (idempotency).
CREATE TABLE hall_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    service_day     TEXT    NOT NULL,
    is_open         INTEGER NOT NULL,
    last_sequence   TEXT    NOT NULL DEFAULT '{}',
    recent_handle_s TEXT    NOT NULL DEFAULT '{}',
    recent_calls    TEXT    NOT NULL DEFAULT '[]'
);

CREATE TABLE tickets (
    ticket_id        TEXT    PRIMARY KEY,
    service_day      TEXT    NOT NULL,
    number           TEXT    NOT NULL,
    business         TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    issued_at        TEXT    NOT NULL,
    queued_at        TEXT    NOT NULL,
    priority_reason  TEXT    NOT NULL DEFAULT '',
    appointment_code TEXT    NOT NULL DEFAULT '',
    helper_name      TEXT    NOT NULL DEFAULT '',
    target_window    INTEGER,
    window           INTEGER,
    staff_id         TEXT    NOT NULL DEFAULT '',
    first_called_at  TEXT,
    called_at        TEXT,
    call_count       INTEGER NOT NULL DEFAULT 0,
    finished_at      TEXT,
    transfer_note    TEXT    NOT NULL DEFAULT '',
    transferred_from INTEGER,
    items            TEXT    NOT NULL DEFAULT '[]',
    UNIQUE (service_day, number)
);
CREATE INDEX tickets_by_day_status ON tickets (service_day, status);

CREATE TABLE windows (
    number               INTEGER PRIMARY KEY,
    status               TEXT    NOT NULL,
    staff_id             TEXT    NOT NULL DEFAULT '',
    ticket_id            TEXT    REFERENCES tickets (ticket_id),
    pause_reason         TEXT,
    since                TEXT,
    calls_since_priority INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    ticket_id TEXT    REFERENCES tickets (ticket_id),
    window    INTEGER,
    body      TEXT    NOT NULL
);
CREATE INDEX events_by_time ON events (at);

CREATE TABLE requests (
    device_id  TEXT NOT NULL,
    request_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    answer     BLOB NOT NULL,
    PRIMARY KEY (device_id, request_id)
);

CREATE TABLE appointments (
    code              TEXT PRIMARY KEY,
    business          TEXT NOT NULL,
    slot_start        TEXT NOT NULL,
    slot_end          TEXT NOT NULL,
    checked_in_ticket TEXT REFERENCES tickets (ticket_id)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
