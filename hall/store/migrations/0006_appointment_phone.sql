-- A booking's second factor: the last four digits of the phone it was made with ('' none).
ALTER TABLE appointments ADD COLUMN phone_last4 TEXT NOT NULL DEFAULT ''
