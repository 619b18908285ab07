-- function_plpgsql_change_body: plpgsql function body changes (CREATE OR REPLACE), and a sql function body changes
CREATE FUNCTION classify(n integer) RETURNS text
    LANGUAGE plpgsql
    AS $$
DECLARE
    result text;
BEGIN
    CASE
        WHEN n < 0 THEN result := 'negative';
        WHEN n = 0 THEN result := 'zero';
        ELSE result := 'positive';
    END CASE;
    RETURN result;
END;
$$;

CREATE FUNCTION double_it(n integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT n + n $$;
