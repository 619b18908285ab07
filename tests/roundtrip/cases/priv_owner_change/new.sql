-- priv_owner_change: owners of a table, a view, a sequence, a function, a type and a schema change; grants kept
CREATE SCHEMA owned;
CREATE TABLE owned.items (id integer PRIMARY KEY);
CREATE VIEW owned.item_ids AS SELECT id FROM owned.items;
CREATE SEQUENCE owned.item_numbers;
CREATE FUNCTION owned.two() RETURNS integer LANGUAGE sql AS 'SELECT 2';
CREATE TYPE owned.color AS ENUM ('red');
ALTER SCHEMA owned OWNER TO pgs_owner;
ALTER VIEW owned.item_ids OWNER TO pgs_owner;
ALTER SEQUENCE owned.item_numbers OWNER TO pgs_owner;
ALTER FUNCTION owned.two() OWNER TO pgs_owner;
ALTER TYPE owned.color OWNER TO pgs_owner;
GRANT SELECT ON owned.item_ids TO PUBLIC;
