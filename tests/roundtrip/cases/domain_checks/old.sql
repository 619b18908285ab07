-- domain_checks: domain check constraints added, dropped and changed (named constraints)
CREATE DOMAIN percentage AS numeric(5,2)
    CONSTRAINT percentage_min CHECK (VALUE >= 0);

CREATE DOMAIN username AS text
    CONSTRAINT username_len CHECK (length(VALUE) >= 3)
    CONSTRAINT username_lower CHECK (VALUE = lower(VALUE));

CREATE TABLE members (
    id integer PRIMARY KEY,
    login username,
    discount percentage
);
