-- function_new_overload_and_sql_body_deps: a new SQL-standard function reads a new table and a new type; a domain's default calls a new function; an overload replaces another
CREATE FUNCTION area(r integer) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN 3.14 * r * r;
CREATE TABLE shapes (id integer PRIMARY KEY, r integer);
