-- fk_self_referencing: a new table with a self-referencing FK, and an existing table gains one
CREATE TABLE folders (
    id integer PRIMARY KEY,
    parent_id integer,
    name text NOT NULL
);
