-- name_reused_by_new_table: a table is replaced by a new one that reuses its primary key, unique constraint and index names
CREATE TABLE mod_new (id bigint, code text, at date);
ALTER TABLE mod_new ADD CONSTRAINT mod_add_pkey PRIMARY KEY (id);
ALTER TABLE mod_new ADD CONSTRAINT mod_code_key UNIQUE (code);
CREATE INDEX mod_at_idx ON mod_new (at);
