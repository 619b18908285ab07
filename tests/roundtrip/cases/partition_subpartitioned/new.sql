-- partition_subpartitioned: a partition that is itself partitioned (LIST then RANGE) gains a sub-partition
CREATE TABLE sales (
    region text NOT NULL,
    sold_on date NOT NULL,
    amount numeric(10,2)
) PARTITION BY LIST (region);

CREATE TABLE sales_eu PARTITION OF sales FOR VALUES IN ('eu') PARTITION BY RANGE (sold_on);
CREATE TABLE sales_eu_2024 PARTITION OF sales_eu FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE sales_eu_2025 PARTITION OF sales_eu FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE sales_us PARTITION OF sales FOR VALUES IN ('us');
