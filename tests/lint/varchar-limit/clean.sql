-- varchar-limit does not fire on this schema.
CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, country varchar(2));

CREATE TABLE money_codes (id bigint PRIMARY KEY, currency varchar(3) NOT NULL);
