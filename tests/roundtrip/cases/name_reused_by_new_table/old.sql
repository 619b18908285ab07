-- name_reused_by_new_table: a table is replaced by a new one that reuses its primary key, unique constraint and index names
CREATE TABLE mod_add (id integer PRIMARY KEY, code text CONSTRAINT mod_code_key UNIQUE, at date);
CREATE INDEX mod_at_idx ON mod_add (at);
