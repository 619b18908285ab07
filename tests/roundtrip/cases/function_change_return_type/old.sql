-- function_change_return_type: function return type changes (integer -> bigint, SETOF integer -> RETURNS TABLE); needs DROP + CREATE
CREATE FUNCTION answer() RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 42 $$;

CREATE FUNCTION pairs() RETURNS SETOF integer
    LANGUAGE sql
    AS $$ SELECT generate_series(1, 3) $$;
