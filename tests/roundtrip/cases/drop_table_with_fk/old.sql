-- drop_table_with_fk: a child table holding an FK to a kept parent is dropped (and its FK with it)
CREATE TABLE parents (
    id integer PRIMARY KEY
);

CREATE TABLE children (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES parents (id) ON DELETE CASCADE
);
