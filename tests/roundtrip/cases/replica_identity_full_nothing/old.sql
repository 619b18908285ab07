-- replica_identity_full_nothing: REPLICA IDENTITY FULL / NOTHING / DEFAULT on plain tables, a new table, a partitioned table and partitions that each keep their own (the setting does not recurse)
CREATE TABLE audit_log (id bigint PRIMARY KEY, body jsonb);
CREATE TABLE sessions (token text NOT NULL, user_id integer);
ALTER TABLE sessions REPLICA IDENTITY FULL;
CREATE TABLE "Events" (at timestamptz NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE events_click PARTITION OF "Events" FOR VALUES IN ('click');
CREATE TABLE events_view PARTITION OF "Events" FOR VALUES IN ('view');
ALTER TABLE events_view REPLICA IDENTITY NOTHING;
