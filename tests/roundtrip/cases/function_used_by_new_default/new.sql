-- function_used_by_new_default: a new user function is used by a new column default (function must be created first)
CREATE FUNCTION random_code(len integer) RETURNS text
    LANGUAGE sql VOLATILE
    AS $$ SELECT upper(substr(md5(random()::text), 1, len)) $$;

CREATE TABLE coupons (
    id integer PRIMARY KEY,
    code text NOT NULL DEFAULT random_code(8)
);
