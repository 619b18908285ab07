-- column_drop: trailing columns dropped from a table (one carrying an index and a check)
CREATE TABLE films (
    id integer PRIMARY KEY,
    title text NOT NULL
);
