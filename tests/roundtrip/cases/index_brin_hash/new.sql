-- index_brin_hash: a BRIN index (with storage parameter) and a HASH index added
CREATE TABLE sensor_log (
    id bigint PRIMARY KEY,
    recorded_at timestamptz NOT NULL,
    device_token text NOT NULL
);

CREATE INDEX sensor_log_recorded_brin ON sensor_log USING brin (recorded_at) WITH (pages_per_range = 32);
CREATE INDEX sensor_log_token_hash ON sensor_log USING hash (device_token);
