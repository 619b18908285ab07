-- noop_identical: old and new are identical (written differently); the migration must be empty and the catalogs already equal
CREATE TABLE t (
    id int PRIMARY KEY,
    name varchar(20) DEFAULT 'x',
    created timestamp with time zone DEFAULT now()
);
CREATE INDEX t_name_idx ON t (name);
CREATE VIEW v AS SELECT id, name FROM t WHERE id > 10;
