-- range_type_create: range types made from nothing (custom subtype_diff, collation, opclass, multirange name, comment)
CREATE SCHEMA sched;

CREATE FUNCTION sched.float_diff(a double precision, b double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT a - b $$;

CREATE TYPE sched.floatrange AS RANGE (subtype = float8, subtype_diff = sched.float_diff);
COMMENT ON TYPE sched.floatrange IS 'closed-open float intervals';

CREATE TYPE "Text Range" AS RANGE (subtype = text, collation = "C", multirange_type_name = "Text Ranges");

CREATE TYPE patternrange AS RANGE (subtype = text, subtype_opclass = text_pattern_ops);

CREATE TYPE daterange_plain AS RANGE (subtype = date);
