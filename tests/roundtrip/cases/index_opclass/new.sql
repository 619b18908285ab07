-- index_opclass: non-default operator classes (text_pattern_ops, varchar_pattern_ops, gin_trgm_ops with pg_trgm)
CREATE EXTENSION pg_trgm;

CREATE TABLE files (
    id integer PRIMARY KEY,
    path text NOT NULL,
    code varchar(20),
    description text
);

CREATE INDEX files_path_pattern_idx ON files (path text_pattern_ops);
CREATE INDEX files_code_pattern_idx ON files (code varchar_pattern_ops);
CREATE INDEX files_description_trgm_idx ON files USING gin (description gin_trgm_ops);
CREATE INDEX files_path_trgm_gist_idx ON files USING gist (path gist_trgm_ops);
