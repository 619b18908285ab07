-- fk_to_unique_constraint: a new unique constraint and an FK that references it (unique must be created first, dropped last)
CREATE TABLE currencies (
    id integer PRIMARY KEY,
    iso_code char(3) NOT NULL,
    CONSTRAINT currencies_iso_code_key UNIQUE (iso_code)
);

CREATE TABLE prices (
    id integer PRIMARY KEY,
    currency char(3) NOT NULL,
    CONSTRAINT prices_currency_fkey FOREIGN KEY (currency) REFERENCES currencies (iso_code) ON UPDATE CASCADE
);
