-- replica_identity_full_nothing: REPLICA IDENTITY FULL / NOTHING / DEFAULT on plain tables, a new table, a partitioned table and partitions that each keep their own (the setting does not recurse)
CREATE TABLE audit_log (id bigint PRIMARY KEY, body jsonb);
ALTER TABLE audit_log REPLICA IDENTITY NOTHING;
CREATE TABLE sessions (token text NOT NULL, user_id integer);
CREATE TABLE "Events" (at timestamptz NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
ALTER TABLE "Events" REPLICA IDENTITY FULL;
CREATE TABLE events_click PARTITION OF "Events" FOR VALUES IN ('click');
ALTER TABLE events_click REPLICA IDENTITY FULL;
CREATE TABLE events_view PARTITION OF "Events" FOR VALUES IN ('view');
CREATE TABLE events_scroll PARTITION OF "Events" FOR VALUES IN ('scroll');
ALTER TABLE events_scroll REPLICA IDENTITY FULL;
CREATE TABLE outbox (id bigint GENERATED ALWAYS AS IDENTITY, payload text);
ALTER TABLE outbox REPLICA IDENTITY FULL;
