-- function_attributes: volatility, STRICT, PARALLEL SAFE, SECURITY DEFINER, COST/ROWS and SET configuration (search_path, work_mem) changed
CREATE FUNCTION normalize_email(e text) RETURNS text
    LANGUAGE sql
    AS $$ SELECT lower(trim(e)) $$;

CREATE FUNCTION list_ids() RETURNS SETOF integer
    LANGUAGE sql
    AS $$ SELECT 1 UNION ALL SELECT 2 $$;
