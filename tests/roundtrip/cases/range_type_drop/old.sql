-- range_type_drop: a range type, a table of its range and multirange, and a view over them, all dropped
CREATE TYPE timerange AS RANGE (subtype = time);

CREATE TABLE shifts (
    id integer PRIMARY KEY,
    hours timerange NOT NULL,
    breaks timemultirange
);

CREATE VIEW long_shifts AS
    SELECT id, hours FROM shifts WHERE upper(hours) - lower(hours) > interval '8 hours';
