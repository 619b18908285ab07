-- fk_to_unique_constraint: a new unique constraint and an FK that references it (unique must be created first, dropped last)
CREATE TABLE currencies (
    id integer PRIMARY KEY,
    iso_code char(3) NOT NULL
);

CREATE TABLE prices (
    id integer PRIMARY KEY,
    currency char(3) NOT NULL
);
