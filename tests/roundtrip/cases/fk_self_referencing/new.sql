-- fk_self_referencing: a new table with a self-referencing FK, and an existing table gains one
CREATE TABLE folders (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES folders (id) ON DELETE CASCADE,
    name text NOT NULL
);

CREATE TABLE employees_tree (
    id integer PRIMARY KEY,
    manager_id integer,
    CONSTRAINT employees_tree_manager_fkey FOREIGN KEY (manager_id) REFERENCES employees_tree (id) ON DELETE SET NULL
);
