-- trigger_function_dropped_with_trigger: a trigger and its function are both dropped (trigger must be dropped before the function)
CREATE TABLE comments (
    id integer PRIMARY KEY,
    body text NOT NULL,
    body_length integer
);
