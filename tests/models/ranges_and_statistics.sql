-- Range types (custom subtype_diff, collation, multirange name, comment) and statistics objects (kinds, expressions, target, comment): what `inspect --format toml` must write and read back.
CREATE SCHEMA sched;
CREATE FUNCTION sched.float_diff(a double precision, b double precision) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT a - b $$;
CREATE TYPE sched.floatrange AS RANGE (subtype = float8, subtype_diff = sched.float_diff);
COMMENT ON TYPE sched.floatrange IS 'closed-open';
CREATE TYPE "Text Range" AS RANGE (subtype = text, collation = "C", multirange_type_name = "Text Ranges");
CREATE TABLE spans (id int PRIMARY KEY, during sched.floatrange, gaps sched.floatmultirange, label "Text Range", a int, b int);
CREATE STATISTICS spans_ab (ndistinct) ON a, b FROM spans;
CREATE STATISTICS sched."Expr Stats" ON (a + b), lower(label) FROM spans;
ALTER STATISTICS sched."Expr Stats" SET STATISTICS 300;
COMMENT ON STATISTICS spans_ab IS 'a and b move together';
