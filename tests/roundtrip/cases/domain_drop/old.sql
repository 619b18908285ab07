-- domain_drop: a domain over another domain, both dropped along with the column using them
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE DOMAIN small_positive_int AS positive_int CHECK (VALUE < 1000);

CREATE TABLE boxes (
    id integer PRIMARY KEY,
    label text,
    capacity small_positive_int
);
