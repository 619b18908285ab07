-- function_row_type_signatures: functions whose arguments and results are row types of tables, views and materialized views created in the same plan (a row type has no step of its own: the relation does)
CREATE TABLE ledgers (id bigint PRIMARY KEY, title text NOT NULL);
CREATE TABLE entries (
    id bigint PRIMARY KEY,
    ledger_id bigint NOT NULL REFERENCES ledgers (id),
    amount numeric(12, 2) NOT NULL
);
CREATE VIEW ledger_balances AS
    SELECT l.id, l.title, coalesce(sum(e.amount), 0) AS balance
    FROM ledgers l LEFT JOIN entries e ON e.ledger_id = l.id
    GROUP BY l.id, l.title;
CREATE MATERIALIZED VIEW "Big Entries" AS SELECT id, amount FROM entries WHERE amount > 1000;

-- A table's row type as an argument; a view's as the result set.
CREATE FUNCTION balance_of(e entries) RETURNS SETOF ledger_balances
    LANGUAGE sql STABLE
    AS $$ SELECT * FROM ledger_balances WHERE id = e.ledger_id $$;
-- An array of a row type, and a materialized view's row type returned.
CREATE FUNCTION total_of(rows entries[]) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT sum(r.amount) FROM unnest(rows) AS r $$;
CREATE FUNCTION big_entries_of(l ledgers) RETURNS SETOF "Big Entries"
    LANGUAGE plpgsql STABLE
    AS $$ BEGIN RETURN QUERY SELECT b.* FROM "Big Entries" b JOIN entries e USING (id) WHERE e.ledger_id = l.id; END $$;
