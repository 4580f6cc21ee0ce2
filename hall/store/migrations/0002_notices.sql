-- Notices pushed by managers; retracted ones stay as history.
CREATE TABLE notices (
    notice_id    TEXT    PRIMARY KEY,
    text_zh      TEXT    NOT NULL,
    text_en      TEXT    NOT NULL DEFAULT '',
    urgent       INTEGER NOT NULL,
    pushed_at    TEXT    NOT NULL,
    pushed_by    TEXT    NOT NULL,
    starts_at    TEXT,
    expires_at   TEXT,
    retracted_at TEXT
);
