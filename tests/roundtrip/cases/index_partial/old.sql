-- index_partial: partial indexes with WHERE clauses (including a unique partial index and a string literal in the predicate)
CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL,
    deleted_at timestamptz,
    status text NOT NULL
);
