-- domain_change_default: domain default changed, and a second domain gains a default
CREATE DOMAIN currency_code AS char(3) DEFAULT 'USD';
CREATE DOMAIN quantity AS integer;

CREATE TABLE prices (
    id integer PRIMARY KEY,
    currency currency_code,
    qty quantity
);
