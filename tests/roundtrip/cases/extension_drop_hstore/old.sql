-- extension_drop_hstore: an hstore column and the hstore extension are both dropped
CREATE EXTENSION hstore;

CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    attrs hstore
);
