-- function_change_signature: argument list changes (new arg, renamed arg, OUT params); old signature dropped, new one created
CREATE FUNCTION greet(name text, greeting text DEFAULT 'Hello') RETURNS text
    LANGUAGE sql
    AS $$ SELECT greeting || ', ' || name $$;

CREATE FUNCTION split_name(full_name text, OUT first text, OUT last text, OUT parts integer)
    LANGUAGE sql
    AS $$ SELECT split_part(full_name, ' ', 1), split_part(full_name, ' ', 2), array_length(string_to_array(full_name, ' '), 1) $$;
