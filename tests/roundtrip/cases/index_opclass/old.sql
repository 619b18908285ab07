-- index_opclass: non-default operator classes (text_pattern_ops, varchar_pattern_ops, gin_trgm_ops with pg_trgm)
CREATE EXTENSION pg_trgm;

CREATE TABLE files (
    id integer PRIMARY KEY,
    path text NOT NULL,
    code varchar(20),
    description text
);
