-- shop_to_empty: a whole realistic shop schema in public (enums, sequences, FKs incl. self-reference, indexes, views, matview, function, trigger, RLS) dropped to an empty database
CREATE TYPE payment_method AS ENUM ('card', 'invoice', 'paypal');

CREATE SEQUENCE invoice_no_seq START WITH 10000;

CREATE TABLE customers (
    id serial PRIMARY KEY,
    email text NOT NULL,
    referred_by integer REFERENCES customers (id) ON DELETE SET NULL
);

CREATE UNIQUE INDEX customers_email_lower_uidx ON customers (lower(email));

CREATE TABLE products (
    id serial PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) NOT NULL CHECK (price >= 0)
);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    payment payment_method NOT NULL DEFAULT 'card',
    invoice_no bigint DEFAULT nextval('invoice_no_seq'),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    order_id integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id integer NOT NULL REFERENCES products (id),
    quantity integer NOT NULL DEFAULT 1,
    PRIMARY KEY (order_id, product_id)
);

CREATE INDEX order_items_product_idx ON order_items (product_id);

CREATE VIEW order_summary AS
    SELECT o.id, o.customer_id, sum(oi.quantity * p.price) AS total
    FROM orders o
    JOIN order_items oi ON oi.order_id = o.id
    JOIN products p ON p.id = oi.product_id
    GROUP BY o.id, o.customer_id;

CREATE VIEW big_orders AS
    SELECT * FROM order_summary WHERE total > 1000;

CREATE MATERIALIZED VIEW product_sales AS
    SELECT product_id, sum(quantity) AS units FROM order_items GROUP BY product_id;

CREATE UNIQUE INDEX product_sales_product_uidx ON product_sales (product_id);

CREATE FUNCTION forbid_price_zero() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.price = 0 THEN
        RAISE EXCEPTION 'price of % must not be zero', NEW.name;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER products_price_guard
    BEFORE INSERT OR UPDATE OF price ON products
    FOR EACH ROW EXECUTE FUNCTION forbid_price_zero();

ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_all ON orders USING (true);

ALTER SEQUENCE invoice_no_seq OWNED BY orders.invoice_no;
