-- type_used_by_function_and_table: a new enum used by a new function argument, a new function result and a new table column (type first)
CREATE TABLE z_tasks (
    id integer PRIMARY KEY
);
