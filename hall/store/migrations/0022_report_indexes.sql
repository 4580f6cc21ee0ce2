-- The reports' waits and handle times, grouped to the second, read from covering indexes
-- instead of parsing every ticket's times (a year of a busy hall: 300,000 tickets). The
-- expressions must match hall/store/report_queries.py exactly for the planner to use them.
CREATE INDEX tickets_wait_s ON tickets (service_day, business, kind, (julianday(first_called_at) - julianday(issued_at)) * 86400) WHERE first_called_at IS NOT NULL;
CREATE INDEX tickets_handle_s ON tickets (service_day, window, staff_id, (julianday(finished_at) - julianday(called_at)) * 86400) WHERE status = 'finished' AND window IS NOT NULL AND called_at IS NOT NULL
