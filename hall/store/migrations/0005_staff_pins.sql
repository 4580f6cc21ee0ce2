-- Clerks' sign-in PINs, hashed (PBKDF2); set by the hall manager with `hall staff pin`, never by default.
CREATE TABLE staff_pins (
    staff_id TEXT PRIMARY KEY,
    pin_hash TEXT NOT NULL,
    set_at   TEXT NOT NULL
);
-- Wrong PINs in a row per 工号 and per window; a lock survives a controller restart.
CREATE TABLE sign_in_attempts (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT
)
