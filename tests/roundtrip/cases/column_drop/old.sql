-- column_drop: trailing columns dropped from a table (one carrying an index and a check)
CREATE TABLE films (
    id integer PRIMARY KEY,
    title text NOT NULL,
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    director text
);

CREATE INDEX films_director_idx ON films (director);
