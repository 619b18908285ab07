-- domain_drop: a domain over another domain, both dropped along with the column using them
CREATE TABLE boxes (
    id integer PRIMARY KEY,
    label text
);
