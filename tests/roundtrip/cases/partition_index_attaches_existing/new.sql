-- partition_index_attaches_existing: a new index on a partitioned table where one partition already has the same index of its own: attached, not built twice nor dropped; another partition's different index stays its own
CREATE TABLE orders (
    id bigint NOT NULL,
    placed_on date NOT NULL,
    customer_id integer NOT NULL,
    status text
) PARTITION BY RANGE (placed_on);

CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE orders_2026 PARTITION OF orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE INDEX orders_2025_by_customer ON orders_2025 (customer_id);
CREATE INDEX orders_2026_status ON orders_2026 (status);

CREATE INDEX orders_customer_idx ON orders (customer_id);
