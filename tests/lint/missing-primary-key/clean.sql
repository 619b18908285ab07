-- missing-primary-key does not fire on this schema.
CREATE TABLE event_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL, payload jsonb);

