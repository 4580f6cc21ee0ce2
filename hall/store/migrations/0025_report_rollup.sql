-- Daily roll-up of closed service days for the reports (hall/store/report_rollup.py): the same
-- grouped figures the live queries give for one day, kept so that a year reads a few thousand
-- rows instead of every ticket. A day has rows here only while its report_days row stands
-- with ready = 1: anything that changes the day's records (a late rating, a changed ticket, an
-- exclusion on appeal) removes that row by trigger, its rows go with it, and the day is
-- computed live until it is rolled up again.
-- A day is claimed (ready = 0) before it is read and made ready in the short write that
-- stores its sums, only if no trigger removed the claim in between.
CREATE TABLE report_days (
    service_day TEXT    PRIMARY KEY,
    rolled_at   TEXT    NOT NULL,
    ready       INTEGER NOT NULL DEFAULT 0
);

-- 满意率 cells per day, dimension (staff/window/item/business), key, level and exclusion; per
-- sub-indicator (hall/core/ratings.py SUB_INDICATORS_ZH) the sum of its scores and how many
-- ratings gave one.
CREATE TABLE report_rating_cells (
    service_day      TEXT    NOT NULL,
    dimension        TEXT    NOT NULL,
    key              TEXT    NOT NULL,
    level            TEXT    NOT NULL,
    excluded         INTEGER NOT NULL,
    ratings          INTEGER NOT NULL,
    attitude_sum     INTEGER NOT NULL,
    attitude_n       INTEGER NOT NULL,
    efficiency_sum   INTEGER NOT NULL,
    efficiency_n     INTEGER NOT NULL,
    proficiency_sum  INTEGER NOT NULL,
    proficiency_n    INTEGER NOT NULL,
    told_at_once_sum INTEGER NOT NULL,
    told_at_once_n   INTEGER NOT NULL
);
CREATE INDEX report_rating_cells_by_dimension ON report_rating_cells (dimension, service_day);

CREATE TABLE report_reasons (
    service_day TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    ratings     INTEGER NOT NULL
);
CREATE INDEX report_reasons_by_day ON report_reasons (service_day);

CREATE TABLE report_ticket_tallies (
    service_day TEXT    NOT NULL,
    business    TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    hour        INTEGER NOT NULL,
    tickets     INTEGER NOT NULL,
    called      INTEGER NOT NULL,
    no_shows    INTEGER NOT NULL
);
CREATE INDEX report_ticket_tallies_by_day ON report_ticket_tallies (service_day);

-- Waits (taking the ticket -> first call) and handle times (last call -> finish) to the whole
-- second, with their exact sums: enough for exact means and the nearest-rank p90. A long period
-- reads the 5-minute buckets below and only the one bucket's seconds where its p90 falls.
CREATE TABLE report_waits (
    service_day TEXT    NOT NULL,
    business    TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    second      INTEGER NOT NULL,
    tickets     INTEGER NOT NULL,
    total_s     REAL    NOT NULL
);
CREATE INDEX report_waits_by_day ON report_waits (service_day);
CREATE INDEX report_waits_by_second ON report_waits (business, kind, second, service_day, tickets, total_s);

CREATE TABLE report_handles (
    service_day TEXT    NOT NULL,
    window      INTEGER NOT NULL,
    staff_id    TEXT    NOT NULL,
    second      INTEGER NOT NULL,
    services    INTEGER NOT NULL,
    total_s     REAL    NOT NULL
);
CREATE INDEX report_handles_by_day ON report_handles (service_day);
CREATE INDEX report_handles_by_second ON report_handles (window, second, service_day, staff_id, services, total_s);

CREATE TABLE report_wait_buckets (
    service_day TEXT    NOT NULL,
    business    TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    bucket      INTEGER NOT NULL,
    tickets     INTEGER NOT NULL,
    total_s     REAL    NOT NULL
);
CREATE INDEX report_wait_buckets_by_day ON report_wait_buckets (service_day, business, kind, bucket, tickets, total_s);

CREATE TABLE report_handle_buckets (
    service_day TEXT    NOT NULL,
    window      INTEGER NOT NULL,
    staff_id    TEXT    NOT NULL,
    bucket      INTEGER NOT NULL,
    services    INTEGER NOT NULL,
    total_s     REAL    NOT NULL
);
CREATE INDEX report_handle_buckets_by_day ON report_handle_buckets (service_day, window, staff_id, bucket, services, total_s);

-- (one line each: the migration runner splits statements at a semicolon that ends a line)
CREATE TRIGGER report_day_rows_go_with_it AFTER DELETE ON report_days BEGIN DELETE FROM report_rating_cells WHERE service_day = OLD.service_day; DELETE FROM report_reasons WHERE service_day = OLD.service_day; DELETE FROM report_ticket_tallies WHERE service_day = OLD.service_day; DELETE FROM report_waits WHERE service_day = OLD.service_day; DELETE FROM report_handles WHERE service_day = OLD.service_day; DELETE FROM report_wait_buckets WHERE service_day = OLD.service_day; DELETE FROM report_handle_buckets WHERE service_day = OLD.service_day; END;
CREATE TRIGGER report_day_stale_on_exclusion AFTER INSERT ON rating_exclusions BEGIN DELETE FROM report_days WHERE service_day = (SELECT service_day FROM ratings WHERE rating_id = NEW.rating_id); END;
CREATE TRIGGER report_day_stale_on_rating AFTER INSERT ON ratings BEGIN DELETE FROM report_days WHERE service_day = NEW.service_day; END;
CREATE TRIGGER report_day_stale_on_new_ticket AFTER INSERT ON tickets BEGIN DELETE FROM report_days WHERE service_day = NEW.service_day; END;
CREATE TRIGGER report_day_stale_on_ticket_change AFTER UPDATE ON tickets BEGIN DELETE FROM report_days WHERE service_day = NEW.service_day; END;
