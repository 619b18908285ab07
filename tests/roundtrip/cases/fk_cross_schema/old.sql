-- fk_cross_schema: an FK from a table in one schema to a table in another schema
CREATE SCHEMA auth;
CREATE SCHEMA billing;

CREATE TABLE auth.users (
    id integer PRIMARY KEY,
    email text NOT NULL
);

CREATE TABLE billing.invoices (
    id integer PRIMARY KEY,
    user_id integer NOT NULL
);
