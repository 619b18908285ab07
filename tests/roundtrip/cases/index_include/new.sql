-- index_include: covering indexes with INCLUDE columns (plain and unique)
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    order_no text NOT NULL,
    total numeric(10,2),
    status text
);

CREATE INDEX orders_customer_cover_idx ON orders (customer_id) INCLUDE (total, status);
CREATE UNIQUE INDEX orders_no_uidx ON orders (order_no) INCLUDE (customer_id);
