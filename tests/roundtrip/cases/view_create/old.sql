-- view_create: a new view with a join, aggregation and a WHERE on a string literal
CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    country text
);

CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    total numeric(10,2) NOT NULL
);
