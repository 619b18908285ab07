-- trigger_constraint_deferrable: a CONSTRAINT TRIGGER (AFTER, DEFERRABLE INITIALLY DEFERRED) is created
CREATE TABLE transfers (
    id integer PRIMARY KEY,
    amount numeric NOT NULL
);

CREATE FUNCTION check_transfer() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.amount <= 0 THEN
        RAISE EXCEPTION 'amount must be positive';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER transfers_check
    AFTER INSERT OR UPDATE ON transfers
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_transfer();
