-- enum_recreated_index_rebuilt_new_table: an enum loses a value (recreated, its columns converted), a partial index on the enum column changes, and a new table uses the enum, in one change
CREATE TYPE status AS ENUM ('draft', 'open', 'closed', 'archived');
CREATE TABLE tasks (
    id bigint PRIMARY KEY,
    state status NOT NULL DEFAULT 'draft',
    title text
);
CREATE INDEX tasks_state_idx ON tasks (state) WHERE state <> 'archived';
