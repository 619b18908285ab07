-- sequence_in_schema_default: a sequence in another schema is created and used by a column default in public
CREATE SCHEMA counters;

CREATE TABLE receipts (
    id integer PRIMARY KEY,
    number bigint
);
