-- trigger_after_statement: AFTER ... FOR EACH STATEMENT triggers (with transition table REFERENCING NEW TABLE) and TRUNCATE trigger
CREATE TABLE stock_moves (
    id integer PRIMARY KEY,
    qty integer NOT NULL
);

CREATE TABLE stock_audit (
    happened_at timestamptz NOT NULL DEFAULT now(),
    op text NOT NULL,
    row_count integer
);

CREATE FUNCTION audit_stock_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO stock_audit (op, row_count) SELECT TG_OP, count(*) FROM new_rows;
    RETURN NULL;
END;
$$;

CREATE FUNCTION audit_stock_truncate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO stock_audit (op) VALUES (TG_OP);
    RETURN NULL;
END;
$$;

CREATE TRIGGER stock_moves_audit_insert
    AFTER INSERT ON stock_moves
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_stock_insert();

CREATE TRIGGER stock_moves_audit_truncate
    AFTER TRUNCATE ON stock_moves
    FOR EACH STATEMENT EXECUTE FUNCTION audit_stock_truncate();
