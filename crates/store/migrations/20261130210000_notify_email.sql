-- E-mail for notifications (issue 5): an address a user chose to be told at that something waits
-- in ozodi (never what), and which notifications were already announced by e-mail.
ALTER TABLE users ADD COLUMN notify_email TEXT;
ALTER TABLE notifications ADD COLUMN emailed_at INTEGER;
CREATE INDEX notifications_to_email ON notifications (user_id, id) WHERE emailed_at IS NULL AND read_at IS NULL;
