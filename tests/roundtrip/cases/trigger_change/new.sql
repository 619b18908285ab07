-- trigger_change: an existing trigger changes timing (BEFORE -> AFTER), events, level and function; one trigger dropped
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    balance numeric NOT NULL DEFAULT 0
);

CREATE FUNCTION trg_noop() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;

CREATE FUNCTION trg_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN PERFORM pg_notify('accounts', TG_OP); RETURN NULL; END $$;

CREATE TRIGGER accounts_watch
    AFTER INSERT OR UPDATE OR DELETE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION trg_notify();
