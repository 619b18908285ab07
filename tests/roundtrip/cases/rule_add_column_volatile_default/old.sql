-- rule_add_column_volatile_default: a per-row default is split: add, set default, backfill, then NOT NULL
CREATE TABLE sessions (id bigint PRIMARY KEY);
