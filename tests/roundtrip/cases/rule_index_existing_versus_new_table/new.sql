-- rule_index_existing_versus_new_table: CONCURRENTLY on the existing table, plain on the new one
CREATE TABLE events (id bigint PRIMARY KEY, kind text, at timestamptz);
CREATE INDEX events_kind_at_idx ON events (kind, at DESC);
CREATE TABLE audit (id bigint PRIMARY KEY, event_id bigint, note text);
CREATE INDEX audit_event_idx ON audit (event_id);
