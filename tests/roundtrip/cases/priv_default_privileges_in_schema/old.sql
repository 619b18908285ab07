-- priv_default_privileges_in_schema: default privileges for tables, sequences, functions and types in a schema; a table created after them
CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO pgs_reader;
CREATE TABLE app.kept (id integer);
