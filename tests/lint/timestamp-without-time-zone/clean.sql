-- timestamp-without-time-zone does not fire on this schema.
CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL);

