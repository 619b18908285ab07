-- table_unlogged_to_logged: one table switches UNLOGGED -> logged and another logged -> UNLOGGED
CREATE TABLE cache_entries (
    key text PRIMARY KEY,
    value bytea
);

CREATE UNLOGGED TABLE sessions (
    id uuid PRIMARY KEY,
    data jsonb
);
