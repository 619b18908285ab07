-- partition_keys_not_null_and_fks: an existing partitioned table gains a primary key, NOT NULL, a foreign key to a plain table and one from a plain table to it; one partition gets a NOT NULL of its own
CREATE TABLE accounts (
    id integer PRIMARY KEY
);

CREATE TABLE events (
    id bigint NOT NULL,
    happened_on date NOT NULL,
    account_id integer,
    note text
) PARTITION BY RANGE (happened_on);

CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE TABLE event_notes (
    id integer PRIMARY KEY,
    event_id bigint NOT NULL,
    event_on date NOT NULL
);
