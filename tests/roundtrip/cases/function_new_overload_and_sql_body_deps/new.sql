-- function_new_overload_and_sql_body_deps: a new SQL-standard function reads a new table and a new type; a domain's default calls a new function; an overload replaces another
CREATE TYPE unit AS ENUM ('cm', 'm');
CREATE TABLE settings (k text PRIMARY KEY, v integer NOT NULL);
CREATE FUNCTION area(r numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN 3.14 * r * r;
CREATE FUNCTION default_radius() RETURNS integer LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT coalesce((SELECT v FROM settings WHERE k = 'radius'), 1);
END;
CREATE FUNCTION unit_label(u unit) RETURNS text LANGUAGE sql IMMUTABLE RETURN u::text;
CREATE DOMAIN radius AS integer DEFAULT default_radius() CHECK (VALUE > 0);
CREATE TABLE shapes (id integer PRIMARY KEY, r radius);
