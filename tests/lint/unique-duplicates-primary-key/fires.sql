-- unique-duplicates-primary-key fires on this schema.
CREATE TABLE t (id bigint PRIMARY KEY);
ALTER TABLE t ADD CONSTRAINT t_id_key UNIQUE (id);
CREATE UNIQUE INDEX t_id_idx ON t (id);

