-- The shop schema as plain SQL: the reference the TOML, SeaORM and pgshift-attribute
-- versions of tests/models/shop must match exactly.
CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE public.customers (
    id serial PRIMARY KEY,
    email character varying(255) NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE TABLE public.products (
    id bigserial PRIMARY KEY,
    sku character varying(32) NOT NULL,
    title text NOT NULL,
    price numeric(10,2) NOT NULL DEFAULT 0,
    attributes jsonb,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT products_sku_key UNIQUE (sku),
    CONSTRAINT products_price_check CHECK (price >= 0)
);

CREATE TABLE public.orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL,
    status public.order_status NOT NULL DEFAULT 'pending',
    note text,
    placed_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
    shipped_at timestamp with time zone,
    CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id)
        REFERENCES public.customers (id) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE public.order_items (
    order_id integer NOT NULL,
    product_id bigint NOT NULL,
    quantity integer NOT NULL DEFAULT 1,
    unit_price numeric(10,2) NOT NULL,
    CONSTRAINT order_items_pkey PRIMARY KEY (order_id, product_id),
    CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id)
        REFERENCES public.orders (id) ON DELETE CASCADE,
    CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES public.products (id) ON DELETE RESTRICT,
    CONSTRAINT order_items_quantity_check CHECK (quantity > 0)
);

CREATE INDEX orders_customer_id_idx ON public.orders (customer_id);
CREATE INDEX orders_status_placed_at_idx ON public.orders (status, placed_at);
CREATE INDEX customers_lower_email_idx ON public.customers (lower(email));
CREATE INDEX orders_open_idx ON public.orders (placed_at) WHERE status = 'pending';
CREATE INDEX products_attributes_idx ON public.products USING gin (attributes);
