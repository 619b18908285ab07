-- rule_narrowing_type_changes: numeric scale, timestamptz to date, text to varchar(50), double to real and bigint to integer narrow: DATA_LOSS and IRREVERSIBLE_DOWNGRADE on each, the downgrade widens back
CREATE TABLE prices (
    id integer PRIMARY KEY,
    amount numeric(10,2),
    seen timestamp with time zone,
    label text,
    ratio double precision,
    total bigint
);
