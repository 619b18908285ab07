-- index_brin_hash: a BRIN index (with storage parameter) and a HASH index added
CREATE TABLE sensor_log (
    id bigint PRIMARY KEY,
    recorded_at timestamptz NOT NULL,
    device_token text NOT NULL
);
