-- rule_index_existing_versus_new_table: CONCURRENTLY on the existing table, plain on the new one
CREATE TABLE events (id bigint PRIMARY KEY, kind text, at timestamptz);
