-- 好差评: append-only, one per service (ticket); batch items are kept with it.
CREATE TABLE ratings (
    rating_id   TEXT PRIMARY KEY,
    ticket_id   TEXT NOT NULL UNIQUE REFERENCES tickets (ticket_id),
    service_day TEXT NOT NULL,
    window      INTEGER NOT NULL,
    staff_id    TEXT NOT NULL,
    items       TEXT NOT NULL,
    level       TEXT NOT NULL,
    sub_scores  TEXT NOT NULL DEFAULT '{}',
    reasons     TEXT NOT NULL DEFAULT '[]',
    comment     TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL,
    rated_at    TEXT NOT NULL
);
CREATE INDEX ratings_by_day ON ratings (service_day);
-- (one line: the migration runner splits statements at a semicolon that ends a line)
CREATE TRIGGER ratings_are_append_only BEFORE UPDATE ON ratings BEGIN SELECT RAISE(ABORT, 'ratings cannot be changed'); END;
