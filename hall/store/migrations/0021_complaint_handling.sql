-- 投诉接待处理: channel, the form's fields (document 000), deadlines and the handling's state.
ALTER TABLE complaints ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk';
ALTER TABLE complaints ADD COLUMN event_time TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN transfer_due TEXT;
ALTER TABLE complaints ADD COLUMN first_contact_due TEXT;
ALTER TABLE complaints ADD COLUMN first_contact_at TEXT;
ALTER TABLE complaints ADD COLUMN handler TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN extended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN transferred_at TEXT;
ALTER TABLE complaints ADD COLUMN closed_at TEXT;
ALTER TABLE complaints ADD COLUMN satisfaction TEXT;
ALTER TABLE complaints ADD COLUMN answer TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN reopened INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN provisional_due INTEGER NOT NULL DEFAULT 0;
UPDATE complaints SET transfer_due = answer_due WHERE transfer_due IS NULL;
CREATE INDEX complaints_by_status ON complaints (status);

CREATE TABLE complaint_steps (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_number TEXT NOT NULL REFERENCES complaints (tracking_number),
    step            TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL,
    details         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX complaint_steps_by_complaint ON complaint_steps (tracking_number);
CREATE TRIGGER complaint_steps_are_append_only BEFORE UPDATE ON complaint_steps BEGIN SELECT RAISE(ABORT, 'complaint steps cannot be changed'); END;

-- Every look at a complainant's or rater's full personal data, by whom and when.
CREATE TABLE personal_data_views (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    what   TEXT NOT NULL,
    ref    TEXT NOT NULL,
    viewer TEXT NOT NULL,
    at     TEXT NOT NULL
);
