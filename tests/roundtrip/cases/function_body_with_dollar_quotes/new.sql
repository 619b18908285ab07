-- function_body_with_dollar_quotes: function bodies that contain $$, $x$ and single quotes (generator must pick a safe dollar tag)
CREATE FUNCTION dollars() RETURNS text
    LANGUAGE sql
    AS $fn$ SELECT 'cost: $$10 and it''s $body$ cheap' $fn$;

CREATE FUNCTION tricky_plpgsql() RETURNS text
    LANGUAGE plpgsql
    AS $_$
DECLARE
    s text := $q$it's a "quoted" $$ string$q$;
BEGIN
    RETURN s || ' ; DROP TABLE x; --';
END;
$_$;
