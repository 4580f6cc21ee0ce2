-- Complaints with the complainant's personal data: read only by the controller and managers.
CREATE TABLE complaints (
    tracking_number TEXT PRIMARY KEY,
    category        TEXT NOT NULL,
    reasons         TEXT NOT NULL,
    text            TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    id_number       TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    business        TEXT NOT NULL DEFAULT '',
    first_responder TEXT NOT NULL,
    registered_at   TEXT NOT NULL,
    answer_due      TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'registered'
);
CREATE INDEX complaints_by_time ON complaints (registered_at);
