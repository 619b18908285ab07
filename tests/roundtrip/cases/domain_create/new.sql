-- domain_create: a new domain with default, NOT NULL and named check, used by a new column
CREATE DOMAIN us_postal_code AS text
    DEFAULT '00000'
    NOT NULL
    CONSTRAINT us_postal_code_format CHECK (VALUE ~ '^\d{5}(-\d{4})?$');

CREATE TABLE contacts (
    id integer PRIMARY KEY,
    name text NOT NULL,
    zip us_postal_code
);
