-- priv_function_recreated: a function dropped and created again (its return type changes) gets its grants back
CREATE FUNCTION total(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
REVOKE EXECUTE ON FUNCTION total(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION total(integer, integer) TO pgs_app;
