-- function_sql_create: new LANGUAGE sql functions (scalar, SETOF table rowtype, RETURNS TABLE, default args, STRICT/IMMUTABLE)
CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) NOT NULL
);

CREATE FUNCTION add_vat(amount numeric, rate numeric DEFAULT 0.19) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT amount * (1 + rate) $$;

CREATE FUNCTION cheap_products(max_price numeric) RETURNS SETOF products
    LANGUAGE sql STABLE
    AS $$ SELECT * FROM products WHERE price <= max_price $$;

CREATE FUNCTION product_names() RETURNS TABLE (product_id integer, product_name text)
    LANGUAGE sql STABLE
    AS $$ SELECT id, name FROM products ORDER BY name $$;
