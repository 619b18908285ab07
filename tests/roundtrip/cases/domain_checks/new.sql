-- domain_checks: domain check constraints added, dropped and changed (named constraints)
CREATE DOMAIN percentage AS numeric(5,2)
    CONSTRAINT percentage_min CHECK (VALUE >= 0)
    CONSTRAINT percentage_max CHECK (VALUE <= 100);

CREATE DOMAIN username AS text
    CONSTRAINT username_len CHECK (length(VALUE) BETWEEN 3 AND 32);

CREATE TABLE members (
    id integer PRIMARY KEY,
    login username,
    discount percentage
);
