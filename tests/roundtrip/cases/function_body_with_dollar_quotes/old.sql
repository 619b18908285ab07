-- function_body_with_dollar_quotes: function bodies that contain $$, $x$ and single quotes (generator must pick a safe dollar tag)
CREATE FUNCTION dollars() RETURNS text
    LANGUAGE sql
    AS $fn$ SELECT 'cost: $$5' $fn$;
