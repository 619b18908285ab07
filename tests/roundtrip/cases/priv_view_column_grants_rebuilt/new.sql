-- priv_view_column_grants_rebuilt: a view with column grants rebuilt around a column type change (and its grants given back); the grants change at the same time on a second view
CREATE TABLE items (id integer PRIMARY KEY, code varchar(10), price bigint);
CREATE VIEW item_codes AS SELECT id, code, price FROM items;
GRANT SELECT (id, code) ON item_codes TO pgs_reader;
GRANT UPDATE (price) ON item_codes TO pgs_writer;
CREATE VIEW item_prices AS SELECT id, price FROM items;
GRANT SELECT (id, price) ON item_prices TO pgs_reader;
GRANT SELECT ON item_prices TO pgs_writer;
