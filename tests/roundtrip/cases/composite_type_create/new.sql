-- composite_type_create: a new composite type used by a table column and a function
CREATE TYPE address AS (
    street text,
    city text,
    zip varchar(10)
);

CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    billing_address address
);

CREATE FUNCTION format_address(a address) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT a.street || ', ' || a.zip || ' ' || a.city $$;
