-- schema_comment: comment on a non-public schema added and the comment of the public schema changed (PG15 default: standard public schema)
CREATE SCHEMA app;
CREATE TABLE app.t (id integer PRIMARY KEY);
COMMENT ON SCHEMA app IS 'Application objects';
COMMENT ON SCHEMA public IS 'Default schema (customised)';
