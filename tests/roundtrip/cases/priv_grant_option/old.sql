-- priv_grant_option: a grant option given to one role and taken from another, the privilege kept
CREATE TABLE orders (id bigint PRIMARY KEY);
CREATE SEQUENCE order_numbers;
GRANT SELECT ON orders TO pgs_admin WITH GRANT OPTION;
GRANT SELECT ON orders TO pgs_reader;
GRANT USAGE, SELECT ON SEQUENCE order_numbers TO pgs_admin WITH GRANT OPTION;
