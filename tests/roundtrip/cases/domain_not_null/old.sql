-- domain_not_null: a domain toggled between NULL and NOT NULL (in both directions)
CREATE DOMAIN email_address AS text;
CREATE DOMAIN nickname AS varchar(30) NOT NULL;

CREATE TABLE subscribers (
    id integer PRIMARY KEY,
    email email_address,
    nick nickname
);
