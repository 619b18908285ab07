-- function_change_signature: argument list changes (new arg, renamed arg, OUT params); old signature dropped, new one created
CREATE FUNCTION greet(name text) RETURNS text
    LANGUAGE sql
    AS $$ SELECT 'Hello, ' || name $$;

CREATE FUNCTION split_name(full_name text, OUT first text, OUT last text)
    LANGUAGE sql
    AS $$ SELECT split_part(full_name, ' ', 1), split_part(full_name, ' ', 2) $$;
