-- generated_column_add: stored generated columns added to an existing table
CREATE TABLE line_items (
    id integer PRIMARY KEY,
    unit_price numeric(10,2) NOT NULL,
    quantity integer NOT NULL,
    first_name text,
    last_name text
);
