-- index_expression: expression indexes (lower(email) unique, date_trunc on a column, a jsonb field extraction)
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    email text NOT NULL,
    created_at timestamp NOT NULL,
    profile jsonb
);
