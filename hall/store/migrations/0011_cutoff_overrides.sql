-- A manager's override of a business's issuing cut-off (auto / open / stop). It holds for the
-- service day it was set on: the controller reads only today's rows, so a new day starts on
-- auto again, and a restarted controller (even after kill -9) keeps the manager's choice.
CREATE TABLE cutoff_overrides (
    service_day TEXT NOT NULL,
    business    TEXT NOT NULL,
    mode        TEXT NOT NULL,
    set_at      TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    PRIMARY KEY (service_day, business)
)
