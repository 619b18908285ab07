-- matview_with_index: indexes (unique + plain) on a materialized view, and a matview that depends on a view
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    total numeric(10,2) NOT NULL
);

CREATE VIEW big_orders AS
    SELECT * FROM orders WHERE total > 100;
