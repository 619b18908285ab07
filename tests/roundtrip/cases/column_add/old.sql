-- column_add: columns appended to an existing table (nullable, NOT NULL with default, with check)
CREATE TABLE books (
    id integer PRIMARY KEY,
    title text NOT NULL
);
