-- table_create: a new table with several column types, defaults and constraints
CREATE TABLE existing (
    id integer PRIMARY KEY
);
