-- fk_on_delete_actions: FK actions change (NO ACTION -> CASCADE, CASCADE -> SET NULL, SET NULL -> RESTRICT, add SET DEFAULT)
CREATE TABLE departments (
    id integer PRIMARY KEY
);

CREATE TABLE staff (
    id integer PRIMARY KEY,
    dept_a integer REFERENCES departments (id) ON DELETE CASCADE,
    dept_b integer REFERENCES departments (id) ON DELETE SET NULL,
    dept_c integer REFERENCES departments (id) ON DELETE RESTRICT,
    dept_d integer DEFAULT 0 REFERENCES departments (id) ON DELETE SET DEFAULT
);
