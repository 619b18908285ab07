-- priv_default_privileges_in_schema: default privileges for tables, sequences, functions and types in a schema; a table created after them
CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT, INSERT ON TABLES TO pgs_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SEQUENCES TO pgs_app WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT EXECUTE ON FUNCTIONS TO pgs_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON TYPES TO pgs_reader;
CREATE TABLE app.kept (id integer);
CREATE TABLE app.created (id integer);
CREATE SEQUENCE app.numbers;
CREATE FUNCTION app.one() RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE TYPE app.mood AS ENUM ('ok');
