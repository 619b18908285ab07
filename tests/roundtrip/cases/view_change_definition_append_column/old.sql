-- view_change_definition_append_column: a view's definition changes by only appending a column (CREATE OR REPLACE is enough)
CREATE TABLE items (
    id integer PRIMARY KEY,
    name text,
    price numeric(10,2),
    hidden boolean DEFAULT false
);

CREATE VIEW visible_items AS
    SELECT id, name FROM items WHERE NOT hidden;
