-- function_row_type_dropped_with_table: a table dropped with the functions that take or return its row type (PostgreSQL refuses to drop the table first), and a table kept while a function on its row type changes its result
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id integer PRIMARY KEY, total numeric NOT NULL, paid boolean NOT NULL DEFAULT false);
CREATE FUNCTION billing.open_invoices() RETURNS SETOF billing.invoices
    LANGUAGE sql STABLE AS $$ SELECT * FROM billing.invoices WHERE NOT paid $$;
CREATE FUNCTION billing.label(i billing.invoices) RETURNS varchar
    LANGUAGE sql IMMUTABLE AS $$ SELECT ('invoice ' || i.id)::varchar $$;
