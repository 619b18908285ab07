-- function_in_schema_used_by_index: an IMMUTABLE function in another schema is used by an expression index and a generated column
CREATE SCHEMA util;

CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL
);
