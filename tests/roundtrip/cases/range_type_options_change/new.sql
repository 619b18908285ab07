-- range_type_options_change: a range type's subtype_diff changed (recreated, nothing uses it), another's comment changed in place
CREATE FUNCTION int_diff(a integer, b integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT (a - b)::double precision $$;

CREATE TYPE intrange2 AS RANGE (subtype = integer, subtype_diff = int_diff);
CREATE TYPE labelrange AS RANGE (subtype = text);
COMMENT ON TYPE labelrange IS 'label intervals';
