-- schema_add_with_objects: a new non-public schema containing a table, a sequence and a view
CREATE TABLE public.settings (
    key text PRIMARY KEY,
    value text
);

CREATE SCHEMA inventory;

CREATE SEQUENCE inventory.sku_seq START WITH 1000;

CREATE TABLE inventory.items (
    id integer PRIMARY KEY,
    sku bigint NOT NULL DEFAULT nextval('inventory.sku_seq'),
    name text NOT NULL
);

CREATE VIEW inventory.item_names AS
    SELECT id, name FROM inventory.items;
