-- Notifying the reporter of what happens to their complaint.

-- The language the reporter used when filing (the web app's UI language); their notices use it.
ALTER TABLE complaints_requests
  ADD COLUMN reporter_lang text NOT NULL DEFAULT 'th' CHECK (reporter_lang IN ('th', 'en'));

-- One row per complaint event and channel that was (or is being) notified: a redelivered outbox event
-- finds its row and sends nothing again.
CREATE TABLE complaints_notifications (
  event_id bigint NOT NULL REFERENCES complaints_events (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('email', 'escalation', 'push')),
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, channel)
);

-- Every public event a reporter should hear about (a status change, a public note, forwarding,
-- merging) queues an outbox event in the transaction that wrote it. A trigger rather than code at each
-- call site, so no path that writes an event (staff, sweep, aftercare, later slices) can forget it.
CREATE FUNCTION complaints_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO core_outbox (type, payload)
  VALUES ('complaints.notify', jsonb_build_object('eventId', NEW.id::text, 'requestId', NEW.request_id::text));
  RETURN NEW;
END;
$$;
CREATE TRIGGER complaints_events_notify AFTER INSERT ON complaints_events
  FOR EACH ROW WHEN (NEW.public AND NEW.kind IN ('status', 'note', 'forwarded', 'merged', 'reopened'))
  EXECUTE FUNCTION complaints_notify_event();
