-- 差评整改 (bad-rating cases), their step log, callback phones, appeals, exclusions and the
-- yearly re-check draw. Ratings stay append-only: an exclusion is a row of its own.
CREATE TABLE rating_contacts (
    rating_id TEXT PRIMARY KEY REFERENCES ratings (rating_id),
    phone     TEXT NOT NULL,
    given_at  TEXT NOT NULL
);

CREATE TABLE cases (
    case_id           TEXT    PRIMARY KEY,
    rating_id         TEXT    NOT NULL UNIQUE REFERENCES ratings (rating_id),
    ticket_id         TEXT    NOT NULL,
    window            INTEGER NOT NULL,
    staff_id          TEXT    NOT NULL,
    items             TEXT    NOT NULL,
    reasons           TEXT    NOT NULL,
    level             TEXT    NOT NULL,
    owner             TEXT    NOT NULL,
    real_name         INTEGER NOT NULL,
    opened_at         TEXT    NOT NULL,
    callback_due      TEXT    NOT NULL,
    feedback_due      TEXT    NOT NULL,
    provisional_due   INTEGER NOT NULL DEFAULT 0,
    state             TEXT    NOT NULL,
    callback_attempts INTEGER NOT NULL DEFAULT 0,
    callback_done_at  TEXT,
    confirmed         INTEGER,
    rectify_kind      TEXT,
    rectify_due       TEXT,
    rectified_at      TEXT,
    feedback_at       TEXT,
    follow_up_level   TEXT,
    closed_at         TEXT
);
CREATE INDEX cases_by_state ON cases (state);
CREATE INDEX cases_by_opening ON cases (opened_at);

CREATE TABLE case_steps (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL REFERENCES cases (case_id),
    step    TEXT NOT NULL,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_steps_by_case ON case_steps (case_id);
CREATE TRIGGER case_steps_are_append_only BEFORE UPDATE ON case_steps BEGIN SELECT RAISE(ABORT, 'case steps cannot be changed'); END;

CREATE TABLE rating_appeals (
    appeal_id       TEXT PRIMARY KEY,
    rating_id       TEXT NOT NULL REFERENCES ratings (rating_id),
    staff_id        TEXT NOT NULL,
    reason          TEXT NOT NULL,
    filed_by        TEXT NOT NULL,
    filed_at        TEXT NOT NULL,
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      TEXT,
    upheld          INTEGER,
    exclusion       TEXT,
    decision_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rating_appeals_by_rating ON rating_appeals (rating_id);

CREATE TABLE rating_exclusions (
    rating_id  TEXT PRIMARY KEY REFERENCES ratings (rating_id),
    kind       TEXT NOT NULL,
    appeal_id  TEXT NOT NULL REFERENCES rating_appeals (appeal_id),
    decided_by TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE TRIGGER rating_exclusions_are_final BEFORE UPDATE ON rating_exclusions BEGIN SELECT RAISE(ABORT, 'exclusions cannot be changed'); END;

CREATE TABLE recheck_draws (
    year       INTEGER PRIMARY KEY,
    seed       TEXT    NOT NULL,
    population INTEGER NOT NULL,
    share      REAL    NOT NULL,
    drawn      TEXT    NOT NULL,
    drawn_by   TEXT    NOT NULL,
    drawn_at   TEXT    NOT NULL
);

CREATE TABLE rechecks (
    rating_id TEXT PRIMARY KEY REFERENCES ratings (rating_id),
    year      INTEGER NOT NULL,
    result    TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    at        TEXT    NOT NULL
);
