-- function_change_return_type: function return type changes (integer -> bigint, SETOF integer -> RETURNS TABLE); needs DROP + CREATE
CREATE FUNCTION answer() RETURNS bigint
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 42::bigint $$;

CREATE FUNCTION pairs() RETURNS TABLE (a integer, b integer)
    LANGUAGE sql
    AS $$ SELECT g, g * g FROM generate_series(1, 3) g $$;
