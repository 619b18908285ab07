-- composite_type_create: a new composite type used by a table column and a function
CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);
