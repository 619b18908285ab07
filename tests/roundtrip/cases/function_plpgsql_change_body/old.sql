-- function_plpgsql_change_body: plpgsql function body changes (CREATE OR REPLACE), and a sql function body changes
CREATE FUNCTION classify(n integer) RETURNS text
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF n < 0 THEN
        RETURN 'negative';
    END IF;
    RETURN 'non-negative';
END;
$$;

CREATE FUNCTION double_it(n integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT n * 2 $$;
