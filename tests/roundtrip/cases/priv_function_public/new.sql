-- priv_function_public: EXECUTE revoked from PUBLIC and granted to a role; a procedure too
CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE PROCEDURE noop() LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION add_one(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION add_one(integer) TO pgs_app;
REVOKE ALL ON PROCEDURE noop() FROM PUBLIC;
