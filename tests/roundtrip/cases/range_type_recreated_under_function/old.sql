-- range_type_recreated_under_function: a range type recreated (subtype_diff added) while functions take and return it (SQL and plpgsql), a column of it, and a view calling one: the functions are moved over to the new type
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TABLE spans (id integer PRIMARY KEY, r floatrange);
CREATE FUNCTION span_width(r floatrange) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT upper(r) - lower(r)';
CREATE FUNCTION widen(r floatrange, by float8) RETURNS floatrange LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN floatrange(lower(r) - by, upper(r) + by);
END $$;
CREATE VIEW span_widths AS SELECT id, span_width(r) AS width FROM spans;
