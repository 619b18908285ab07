-- partition_to_plain_table_and_back: a partition becomes a plain table of the same name (its index and a view over it kept), a plain table becomes a partition of the same name, and a partition moves from one partitioned table to another; the replaced tables are dropped and created without a cycle
CREATE TABLE orders (id bigint NOT NULL, placed date NOT NULL, total numeric) PARTITION BY RANGE (placed);
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE orders_2024 (id bigint NOT NULL, placed date NOT NULL, total numeric);
CREATE INDEX orders_2024_total_idx ON orders_2024 (total);
CREATE VIEW old_orders AS SELECT id, total FROM orders_2024;
CREATE TABLE orders_archive PARTITION OF orders FOR VALUES FROM ('2000-01-01') TO ('2024-01-01');
CREATE TABLE events (id bigint NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE events_misc PARTITION OF events DEFAULT;
