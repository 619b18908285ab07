-- float-for-money does not fire on this schema.
CREATE TABLE products (id bigint PRIMARY KEY, price numeric(10,2) NOT NULL, weight_kg double precision);

