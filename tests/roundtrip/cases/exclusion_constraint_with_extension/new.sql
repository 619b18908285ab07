-- exclusion_constraint_with_extension: btree_gist extension and an exclusion constraint that needs it are created together
CREATE EXTENSION btree_gist;

CREATE TABLE reservations (
    id integer PRIMARY KEY,
    table_no integer NOT NULL,
    slot tstzrange NOT NULL,
    EXCLUDE USING gist (table_no WITH =, slot WITH &&) DEFERRABLE INITIALLY DEFERRED
);
