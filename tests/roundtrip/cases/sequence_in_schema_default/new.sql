-- sequence_in_schema_default: a sequence in another schema is created and used by a column default in public
CREATE SCHEMA counters;

CREATE SEQUENCE counters.receipt_number START WITH 50000;

CREATE TABLE receipts (
    id integer PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('counters.receipt_number'::regclass)
);
