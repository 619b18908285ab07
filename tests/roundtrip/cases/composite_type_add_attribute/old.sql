-- composite_type_add_attribute: an attribute appended to a composite type that is used by a table column
CREATE TYPE geo_point AS (
    lat double precision,
    lon double precision
);

CREATE TABLE places (
    id integer PRIMARY KEY,
    location geo_point
);
