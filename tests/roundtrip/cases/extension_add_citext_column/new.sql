-- extension_add_citext_column: create extension citext and add a column of type citext to an existing table
CREATE EXTENSION citext;

CREATE TABLE users (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email citext UNIQUE
);
