-- domain_check_calls_function: domain CHECK constraints that call functions (plpgsql and SQL): a new domain is created after its function and before the column that uses it; a check moved from one function to another is changed before the old function is dropped
CREATE FUNCTION is_slug(v text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT v ~ '^[a-z0-9-]+$' $$;
CREATE DOMAIN slug AS text CHECK (is_slug(VALUE));
CREATE TABLE pages (id integer PRIMARY KEY, path slug NOT NULL);
