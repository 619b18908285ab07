-- statistics_create: statistics objects of every kind (ndistinct, dependencies, mcv, expressions, a target, a comment, another schema) on a populated table and a new one
CREATE SCHEMA stats;

CREATE TABLE addresses (
    id integer PRIMARY KEY,
    city text NOT NULL,
    zip varchar(10) NOT NULL,
    country char(2) NOT NULL
);
