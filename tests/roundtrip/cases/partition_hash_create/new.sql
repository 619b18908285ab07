-- partition_hash_create: a HASH partitioned table with 4 partitions created from nothing
CREATE TABLE user_events (
    user_id bigint NOT NULL,
    event_id bigint NOT NULL,
    payload jsonb,
    PRIMARY KEY (user_id, event_id)
) PARTITION BY HASH (user_id);

CREATE TABLE user_events_p0 PARTITION OF user_events FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE user_events_p1 PARTITION OF user_events FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE user_events_p2 PARTITION OF user_events FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE user_events_p3 PARTITION OF user_events FOR VALUES WITH (MODULUS 4, REMAINDER 3);
