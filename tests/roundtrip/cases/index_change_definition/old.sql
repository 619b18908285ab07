-- index_change_definition: same index names with changed definitions (columns, uniqueness, method, predicate)
CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    name text NOT NULL,
    category text,
    price numeric(10,2),
    active boolean NOT NULL DEFAULT true
);

CREATE INDEX products_lookup_idx ON products (sku);
CREATE INDEX products_category_idx ON products (category);
CREATE INDEX products_price_idx ON products (price) WHERE active;
CREATE INDEX products_name_idx ON products USING hash (name);
