-- priv_table_grants: a table gains grants to two roles, one with grant option, and loses one
CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL);
GRANT SELECT, INSERT ON accounts TO pgs_writer;
GRANT TRUNCATE ON accounts TO PUBLIC;
