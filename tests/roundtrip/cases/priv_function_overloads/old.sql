-- priv_function_overloads: two overloads of one name with different grants; a new overload with its own
CREATE FUNCTION area(r double precision) RETURNS double precision LANGUAGE sql AS 'SELECT pi() * r * r';
CREATE FUNCTION area(w integer, h integer) RETURNS integer LANGUAGE sql AS 'SELECT w * h';
REVOKE EXECUTE ON FUNCTION area(double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION area(double precision) TO pgs_app;
