-- Ticket slips reprinted at a counter: one row per request carried out, so the limit per
-- ticket survives a restart and a repeated request id is answered from `requests`.
CREATE TABLE ticket_reprints (
    device_id   TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    ticket_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (device_id, request_id)
);
CREATE INDEX ticket_reprints_by_ticket ON ticket_reprints (ticket_id);
