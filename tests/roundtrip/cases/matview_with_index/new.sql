-- matview_with_index: indexes (unique + plain) on a materialized view, and a matview that depends on a view
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    total numeric(10,2) NOT NULL
);

CREATE VIEW big_orders AS
    SELECT * FROM orders WHERE total > 100;

CREATE MATERIALIZED VIEW customer_big_totals AS
    SELECT customer_id, sum(total) AS total, count(*) AS n FROM big_orders GROUP BY customer_id;

CREATE UNIQUE INDEX customer_big_totals_customer_uidx ON customer_big_totals (customer_id);
CREATE INDEX customer_big_totals_total_idx ON customer_big_totals (total DESC);
