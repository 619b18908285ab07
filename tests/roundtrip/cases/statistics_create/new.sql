-- statistics_create: statistics objects of every kind (ndistinct, dependencies, mcv, expressions, a target, a comment, another schema) on a populated table and a new one
CREATE SCHEMA stats;

CREATE TABLE addresses (
    id integer PRIMARY KEY,
    city text NOT NULL,
    zip varchar(10) NOT NULL,
    country char(2) NOT NULL
);

CREATE STATISTICS addresses_city_zip (ndistinct, dependencies) ON city, zip FROM addresses;
CREATE STATISTICS stats.addresses_all ON city, zip, country FROM addresses;
CREATE STATISTICS addresses_mcv (mcv) ON country, (lower(city)) FROM addresses;
ALTER STATISTICS addresses_mcv SET STATISTICS 500;
COMMENT ON STATISTICS addresses_mcv IS 'country and city are skewed';
CREATE STATISTICS "Zip Prefix" ON (substr(zip, 1, 3)) FROM addresses;

CREATE TABLE "Order Lines" (
    order_id integer NOT NULL,
    product_id integer NOT NULL,
    quantity integer NOT NULL
);
CREATE STATISTICS order_lines_dep (dependencies) ON order_id, product_id FROM "Order Lines";
