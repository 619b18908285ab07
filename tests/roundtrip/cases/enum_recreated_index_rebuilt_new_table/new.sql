-- enum_recreated_index_rebuilt_new_table: an enum loses a value (recreated, its columns converted), a partial index on the enum column changes, and a new table uses the enum, in one change
CREATE TYPE status AS ENUM ('draft', 'open', 'closed');
CREATE TABLE tasks (
    id bigint PRIMARY KEY,
    state status NOT NULL DEFAULT 'draft',
    title text
);
CREATE INDEX tasks_state_idx ON tasks (state) WHERE state <> 'closed';
CREATE TABLE task_history (
    task_id bigint NOT NULL REFERENCES tasks (id),
    state status NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_history_state_idx ON task_history (state);
