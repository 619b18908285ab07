-- trigger_when_and_update_of: triggers with a WHEN clause and UPDATE OF column lists, plus trigger arguments
CREATE TABLE prices (
    id integer PRIMARY KEY,
    amount numeric(10,2) NOT NULL,
    currency char(3) NOT NULL,
    note text
);

CREATE TABLE price_changes (
    price_id integer NOT NULL,
    old_amount numeric(10,2),
    new_amount numeric(10,2),
    reason text
);

CREATE FUNCTION log_price_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO price_changes VALUES (NEW.id, OLD.amount, NEW.amount, TG_ARGV[0]);
    RETURN NEW;
END;
$$;

CREATE TRIGGER prices_log_change
    AFTER UPDATE OF amount, currency ON prices
    FOR EACH ROW
    WHEN (OLD.amount IS DISTINCT FROM NEW.amount)
    EXECUTE FUNCTION log_price_change('it''s an update');

CREATE TRIGGER prices_big_drop
    BEFORE UPDATE ON prices
    FOR EACH ROW
    WHEN (NEW.amount < OLD.amount * 0.5 AND NEW.note IS NULL)
    EXECUTE FUNCTION log_price_change('big drop', '42');
