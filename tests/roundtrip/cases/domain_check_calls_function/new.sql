-- domain_check_calls_function: domain CHECK constraints that call functions (plpgsql and SQL): a new domain is created after its function and before the column that uses it; a check moved from one function to another is changed before the old function is dropped
CREATE FUNCTION is_short_slug(v text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT v ~ '^[a-z0-9-]+$' AND length(v) <= 40 $$;
CREATE DOMAIN slug AS text CHECK (is_short_slug(VALUE));
CREATE TABLE pages (id integer PRIMARY KEY, path slug NOT NULL);
CREATE SCHEMA billing;
CREATE FUNCTION billing."valid IBAN"(v text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE
    AS $$ BEGIN RETURN v ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'; END $$;
CREATE DOMAIN billing.iban AS varchar(34)
    CONSTRAINT iban_format CHECK (billing."valid IBAN"(VALUE::text));
CREATE TABLE billing.accounts (id integer PRIMARY KEY, iban billing.iban NOT NULL);
