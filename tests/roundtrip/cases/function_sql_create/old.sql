-- function_sql_create: new LANGUAGE sql functions (scalar, SETOF table rowtype, RETURNS TABLE, default args, STRICT/IMMUTABLE)
CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) NOT NULL
);
