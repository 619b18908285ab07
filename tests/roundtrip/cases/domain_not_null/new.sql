-- domain_not_null: a domain toggled between NULL and NOT NULL (in both directions)
CREATE DOMAIN email_address AS text NOT NULL;
CREATE DOMAIN nickname AS varchar(30);

CREATE TABLE subscribers (
    id integer PRIMARY KEY,
    email email_address,
    nick nickname
);
