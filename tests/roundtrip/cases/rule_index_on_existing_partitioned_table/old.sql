-- rule_index_on_existing_partitioned_table: an index on an existing partitioned table: ON ONLY the parent, CONCURRENTLY on the partition, then attached
CREATE TABLE metrics (at date NOT NULL, name text, value double precision) PARTITION BY RANGE (at);
CREATE TABLE metrics_2025 PARTITION OF metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
