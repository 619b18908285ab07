-- type_used_by_function_and_table: a new enum used by a new function argument, a new function result and a new table column (type first)
CREATE TYPE z_state AS ENUM ('todo', 'doing', 'done');

CREATE FUNCTION a_next_state(s z_state) RETURNS z_state
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE s WHEN 'todo' THEN 'doing'::z_state ELSE 'done'::z_state END $$;

CREATE TABLE z_tasks (
    id integer PRIMARY KEY,
    state z_state NOT NULL DEFAULT 'todo'
);
