-- generated_column_add: stored generated columns added to an existing table
CREATE TABLE line_items (
    id integer PRIMARY KEY,
    unit_price numeric(10,2) NOT NULL,
    quantity integer NOT NULL,
    first_name text,
    last_name text,
    total numeric(12,2) GENERATED ALWAYS AS (unit_price * quantity) STORED,
    full_name text GENERATED ALWAYS AS (coalesce(first_name, '') || ' ' || coalesce(last_name, '')) STORED
);
