-- priv_function_overloads: two overloads of one name with different grants; a new overload with its own
CREATE FUNCTION area(r double precision) RETURNS double precision LANGUAGE sql AS 'SELECT pi() * r * r';
CREATE FUNCTION area(w integer, h integer) RETURNS integer LANGUAGE sql AS 'SELECT w * h';
CREATE FUNCTION area(w bigint, h bigint) RETURNS bigint LANGUAGE sql AS 'SELECT w * h';
REVOKE EXECUTE ON FUNCTION area(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION area(integer, integer) TO pgs_reader WITH GRANT OPTION;
GRANT EXECUTE ON FUNCTION area(double precision) TO pgs_reader;
REVOKE EXECUTE ON FUNCTION area(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION area(bigint, bigint) TO pgs_app;
