-- index_partial: partial indexes with WHERE clauses (including a unique partial index and a string literal in the predicate)
CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL,
    deleted_at timestamptz,
    status text NOT NULL
);

CREATE UNIQUE INDEX users_email_active_uidx ON users (email) WHERE deleted_at IS NULL;
CREATE INDEX users_pending_idx ON users (id) WHERE status = 'pending' AND deleted_at IS NULL;
