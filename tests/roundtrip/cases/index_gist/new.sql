-- index_gist: GiST indexes on a range column, a box column and a tsvector column
CREATE TABLE areas (
    id integer PRIMARY KEY,
    valid daterange,
    bounds box,
    search tsvector
);

CREATE INDEX areas_valid_gist ON areas USING gist (valid);
CREATE INDEX areas_bounds_gist ON areas USING gist (bounds);
CREATE INDEX areas_search_gist ON areas USING gist (search);
