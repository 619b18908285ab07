-- function_used_by_check: a check constraint calls a user function whose body changes, plus a new check calling a new function
CREATE FUNCTION is_valid_slug(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT s ~ '^[a-z0-9-]+$' $$;

CREATE TABLE pages (
    id integer PRIMARY KEY,
    slug text NOT NULL CONSTRAINT pages_slug_check CHECK (is_valid_slug(slug)),
    title text
);
