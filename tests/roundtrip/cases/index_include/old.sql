-- index_include: covering indexes with INCLUDE columns (plain and unique)
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    order_no text NOT NULL,
    total numeric(10,2),
    status text
);
