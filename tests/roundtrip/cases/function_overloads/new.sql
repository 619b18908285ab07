-- function_overloads: overloaded functions with the same name; one overload added, one dropped, one changed
CREATE FUNCTION area(r double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT pi() * r ^ 2 $$;

CREATE FUNCTION area(w integer, h integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT w * h $$;

CREATE FUNCTION area(w numeric, h numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT w * h $$;
