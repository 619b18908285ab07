-- schema_comment: comment on a non-public schema added and the comment of the public schema changed (PG15 default: standard public schema)
CREATE SCHEMA app;
CREATE TABLE app.t (id integer PRIMARY KEY);
