-- timestamp-without-time-zone fires on this schema.
CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL);

CREATE TABLE log (id bigint PRIMARY KEY, at timestamp(3)[]);
