-- statistics_column_drop_and_retype: a column under a statistics object dropped (the object redefined on other columns), another retyped under an expression statistics object (dropped before, recreated after)
CREATE TABLE products (
    id integer PRIMARY KEY,
    category text NOT NULL,
    sku varchar(20) NOT NULL,
    price numeric(10,2) NOT NULL,
    legacy_code integer
);

CREATE STATISTICS products_cat_code ON category, legacy_code FROM products;
CREATE STATISTICS products_sku_prefix ON (left(sku, 3)), category FROM products;
CREATE STATISTICS products_price (mcv) ON (round(price)), category FROM products;
