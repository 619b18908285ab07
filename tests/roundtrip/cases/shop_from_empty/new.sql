-- shop_from_empty: a whole realistic shop schema (schema, extension, enums, domain, tables, FKs, indexes, view, function, trigger) created from an empty database
CREATE EXTENSION citext;

CREATE SCHEMA shop;

CREATE TYPE shop.order_status AS ENUM ('cart', 'placed', 'paid', 'shipped', 'cancelled');

CREATE DOMAIN shop.price AS numeric(10,2) CHECK (VALUE >= 0);

CREATE TABLE shop.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email citext NOT NULL UNIQUE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shop.products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku text NOT NULL,
    name text NOT NULL,
    price shop.price NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}',
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT products_sku_key UNIQUE (sku)
);

CREATE TABLE shop.orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers (id) ON DELETE RESTRICT,
    status shop.order_status NOT NULL DEFAULT 'cart',
    placed_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_placed_check CHECK (status = 'cart' OR placed_at IS NOT NULL)
);

CREATE TABLE shop.order_items (
    order_id bigint NOT NULL REFERENCES shop.orders (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES shop.products (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price shop.price NOT NULL,
    line_total numeric(12,2) GENERATED ALWAYS AS (quantity * unit_price) STORED,
    PRIMARY KEY (order_id, product_id)
);

CREATE INDEX orders_customer_idx ON shop.orders (customer_id, placed_at DESC);
CREATE INDEX orders_open_idx ON shop.orders (updated_at) WHERE status IN ('cart', 'placed');
CREATE INDEX products_attributes_gin ON shop.products USING gin (attributes);
CREATE INDEX products_name_lower_idx ON shop.products (lower(name));
CREATE INDEX order_items_product_idx ON shop.order_items (product_id);

CREATE VIEW shop.order_totals AS
    SELECT o.id AS order_id, o.customer_id, o.status, coalesce(sum(i.line_total), 0) AS total
    FROM shop.orders o
    LEFT JOIN shop.order_items i ON i.order_id = o.id
    GROUP BY o.id, o.customer_id, o.status;

CREATE FUNCTION shop.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER orders_touch
    BEFORE UPDATE ON shop.orders
    FOR EACH ROW EXECUTE FUNCTION shop.touch_updated_at();

COMMENT ON SCHEMA shop IS 'Online shop';
COMMENT ON TABLE shop.order_items IS 'Lines of an order';
