-- column_type_int_to_bigint: integer -> bigint on a PK column referenced by an FK column that also changes
CREATE TABLE authors (
    id bigint PRIMARY KEY,
    name text
);

CREATE TABLE posts (
    id integer PRIMARY KEY,
    author_id bigint REFERENCES authors (id),
    views bigint
);
