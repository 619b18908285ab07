-- missing-primary-key fires on this schema.
CREATE TABLE event_log (at timestamptz NOT NULL, payload jsonb);

