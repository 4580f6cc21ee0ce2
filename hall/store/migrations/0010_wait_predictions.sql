-- The wait estimate's raw prediction for each ticket at issue (seconds), beside which the real
-- wait is later read: the calibration of the estimate's range is learned from these pairs.
CREATE TABLE wait_predictions (
    ticket_id   TEXT PRIMARY KEY,
    predicted_s REAL NOT NULL
)
