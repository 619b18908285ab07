-- partition_dropped_with_dependents: a partition dropped while a view reads it directly, a foreign key references its own key and it has an index of its own; the view is redefined on the parent, the foreign key goes
CREATE TABLE readings (
    id bigint NOT NULL,
    taken_on date NOT NULL,
    value numeric
) PARTITION BY RANGE (taken_on);

CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE TABLE corrections (
    id integer PRIMARY KEY,
    reading_id bigint
);

CREATE VIEW old_readings AS SELECT id, value FROM readings WHERE taken_on < '2025-01-01';
