-- column_type_using_hint_partitioned_sql: a `-- pgshift: using` comment on a partitioned table's column (bigint -> timestamptz, no cast): converted on every partition, with an index on the column, on rows, both ways
CREATE TABLE events (id bigint NOT NULL, at bigint NOT NULL, PRIMARY KEY (id)) PARTITION BY RANGE (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100);
CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (100) TO (200);
CREATE INDEX events_at_idx ON events (at);
