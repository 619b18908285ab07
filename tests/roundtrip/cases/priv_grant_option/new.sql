-- priv_grant_option: a grant option given to one role and taken from another, the privilege kept
CREATE TABLE orders (id bigint PRIMARY KEY);
CREATE SEQUENCE order_numbers;
GRANT SELECT ON orders TO pgs_admin;
GRANT SELECT ON orders TO pgs_reader WITH GRANT OPTION;
GRANT USAGE ON SEQUENCE order_numbers TO pgs_admin;
