-- priv_owner_change: owners of a table, a view, a sequence, a function, a type and a schema change; grants kept
CREATE SCHEMA owned;
CREATE TABLE owned.items (id integer PRIMARY KEY);
CREATE VIEW owned.item_ids AS SELECT id FROM owned.items;
CREATE SEQUENCE owned.item_numbers;
CREATE FUNCTION owned.two() RETURNS integer LANGUAGE sql AS 'SELECT 2';
CREATE TYPE owned.color AS ENUM ('red');
ALTER TABLE owned.items OWNER TO pgs_owner;
