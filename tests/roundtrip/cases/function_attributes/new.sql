-- function_attributes: volatility, STRICT, PARALLEL SAFE, SECURITY DEFINER, COST/ROWS and SET configuration (search_path, work_mem) changed
CREATE FUNCTION normalize_email(e text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
    AS $$ SELECT lower(trim(e)) $$;

CREATE FUNCTION list_ids() RETURNS SETOF integer
    LANGUAGE sql STABLE SECURITY DEFINER ROWS 2
    SET search_path = pg_catalog, public
    SET work_mem = '8MB'
    AS $$ SELECT 1 UNION ALL SELECT 2 $$;
