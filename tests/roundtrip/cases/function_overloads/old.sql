-- function_overloads: overloaded functions with the same name; one overload added, one dropped, one changed
CREATE FUNCTION area(r double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT pi() * r * r $$;

CREATE FUNCTION area(w integer, h integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT w * h $$;

CREATE FUNCTION area(c circle) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT pi() * radius(c) ^ 2 $$;
