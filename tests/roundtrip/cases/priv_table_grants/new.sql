-- priv_table_grants: a table gains grants to two roles, one with grant option, and loses one
CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL);
GRANT SELECT ON accounts TO pgs_reader WITH GRANT OPTION;
GRANT SELECT, INSERT, UPDATE, DELETE ON accounts TO pgs_writer;
