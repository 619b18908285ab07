-- function_in_schema_used_by_index: an IMMUTABLE function in another schema is used by an expression index and a generated column
CREATE SCHEMA util;

CREATE FUNCTION util.fold(s text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(translate(s, 'ÄÖÜäöü', 'AOUaou')) $$;

CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL,
    name_folded text GENERATED ALWAYS AS (util.fold(name)) STORED
);

CREATE INDEX people_name_fold_idx ON people (util.fold(name));
