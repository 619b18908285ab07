-- check_constraints: table checks added, dropped and expression changed (named); a multi-column check; a NO INHERIT check
CREATE TABLE discounts (
    id integer PRIMARY KEY,
    percent integer,
    starts_on date,
    ends_on date,
    code text,
    CONSTRAINT discounts_percent_check CHECK (percent > 0 AND percent <= 90),
    CONSTRAINT discounts_dates_check CHECK (ends_on IS NULL OR ends_on > starts_on),
    CONSTRAINT discounts_code_upper CHECK (code = upper(code)) NO INHERIT
);
