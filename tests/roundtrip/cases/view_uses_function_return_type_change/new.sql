-- view_uses_function_return_type_change: a function used by a view changes return type (function drop requires view drop first)
CREATE TABLE prices (
    id integer PRIMARY KEY,
    net numeric(10,2) NOT NULL
);

CREATE FUNCTION gross(n numeric) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT round(n * 1.19, 2)::double precision $$;

CREATE VIEW price_list AS
    SELECT id, net, gross(net) AS gross FROM prices;
