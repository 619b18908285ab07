-- index_unique: unique indexes (not constraints) added: single column, multi-column, NULLS NOT DISTINCT
CREATE TABLE devices (
    id integer PRIMARY KEY,
    serial text NOT NULL,
    vendor text,
    model text
);
