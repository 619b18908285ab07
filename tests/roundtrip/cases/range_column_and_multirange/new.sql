-- range_column_and_multirange: a new range type used by new columns (range, multirange, array of ranges) on a populated table, and by a function
CREATE TYPE numrange2 AS RANGE (subtype = numeric, multirange_type_name = numranges2);

CREATE TABLE bookings (
    id integer PRIMARY KEY,
    guest text NOT NULL,
    price numrange2,
    discounts numranges2 DEFAULT '{}',
    history numrange2[]
);

CREATE FUNCTION price_width(p numrange2) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT upper(p) - lower(p) $$;

CREATE TABLE tariffs (
    code text PRIMARY KEY,
    band numrange2 NOT NULL DEFAULT numrange2(0, 10),
    CHECK (NOT isempty(band))
);
