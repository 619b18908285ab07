-- function_used_by_check: a check constraint calls a user function whose body changes, plus a new check calling a new function
CREATE FUNCTION is_valid_slug(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT s ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(s) <= 64 $$;

CREATE FUNCTION is_title_case(s text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
    RETURN s = initcap(s);
END;
$$;

CREATE TABLE pages (
    id integer PRIMARY KEY,
    slug text NOT NULL CONSTRAINT pages_slug_check CHECK (is_valid_slug(slug)),
    title text CONSTRAINT pages_title_check CHECK (is_title_case(title))
);
