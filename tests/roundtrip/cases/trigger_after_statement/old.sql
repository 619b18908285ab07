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
