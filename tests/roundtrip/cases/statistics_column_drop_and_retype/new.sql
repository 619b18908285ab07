-- statistics_column_drop_and_retype: a column under a statistics object dropped (the object redefined on other columns), another retyped under an expression statistics object (dropped before, recreated after)
CREATE TABLE products (
    id integer PRIMARY KEY,
    category text NOT NULL,
    sku text NOT NULL,
    price double precision NOT NULL
);

CREATE STATISTICS products_cat_code ON category, sku FROM products;
CREATE STATISTICS products_sku_prefix ON (left(sku, 3)), category FROM products;
CREATE STATISTICS products_price (mcv) ON (round(price)), category FROM products;
