-- domain_create: a new domain with default, NOT NULL and named check, used by a new column
CREATE TABLE contacts (
    id integer PRIMARY KEY,
    name text NOT NULL
);
