-- partitioned_table_fk: a partitioned table gains a primary key and a foreign key to a plain table (constraints cloned onto partitions)
CREATE TABLE devices (
    id integer PRIMARY KEY,
    name text
);

CREATE TABLE readings (
    device_id integer NOT NULL,
    read_at date NOT NULL,
    value real
) PARTITION BY RANGE (read_at);

CREATE TABLE readings_h1 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE readings_h2 PARTITION OF readings FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
