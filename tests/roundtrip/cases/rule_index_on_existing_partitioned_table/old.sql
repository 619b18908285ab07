-- rule_index_on_existing_partitioned_table: no CONCURRENTLY for partitioned tables: plain, with a hazard
CREATE TABLE metrics (at date NOT NULL, name text, value double precision) PARTITION BY RANGE (at);
CREATE TABLE metrics_2025 PARTITION OF metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
