-- index_gist: GiST indexes on a range column, a box column and a tsvector column
CREATE TABLE areas (
    id integer PRIMARY KEY,
    valid daterange,
    bounds box,
    search tsvector
);
