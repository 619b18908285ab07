-- column_type_numeric_precision: numeric(10,2) -> numeric(12,4), numeric -> numeric(8,3), real -> double precision
CREATE TABLE ledger (
    id integer PRIMARY KEY,
    amount numeric(12,4) NOT NULL,
    rate numeric(8,3),
    weight double precision
);
