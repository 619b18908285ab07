-- partition_index_built_per_partition: indexes added to a populated, sub-partitioned table: ON ONLY the parents, CONCURRENTLY on each leaf, attached bottom up (plain, unique with the key, expression, partial, INCLUDE, comment)
CREATE TABLE measurements (
    taken_at timestamptz NOT NULL,
    region text NOT NULL,
    sensor_id integer NOT NULL,
    "Reading" double precision,
    note text
) PARTITION BY RANGE (taken_at);

CREATE TABLE measurements_2025 PARTITION OF measurements
    FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');
CREATE TABLE measurements_2026 PARTITION OF measurements
    FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')
    PARTITION BY LIST (region);
CREATE TABLE measurements_2026_eu PARTITION OF measurements_2026 FOR VALUES IN ('eu');
CREATE TABLE measurements_2026_us PARTITION OF measurements_2026 FOR VALUES IN ('us');
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;
