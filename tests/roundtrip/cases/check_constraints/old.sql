-- check_constraints: table checks added, dropped and expression changed (named); a multi-column check; a NO INHERIT check
CREATE TABLE discounts (
    id integer PRIMARY KEY,
    percent integer,
    starts_on date,
    ends_on date,
    code text,
    CONSTRAINT discounts_percent_check CHECK (percent > 0),
    CONSTRAINT discounts_code_check CHECK (code <> '')
);
