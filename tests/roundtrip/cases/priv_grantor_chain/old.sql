-- priv_grantor_chain: a grant made by a role holding the grant option (grantor other than the owner) is kept when the owner's own grants change
CREATE TABLE docs (id integer PRIMARY KEY, body text);
GRANT SELECT ON docs TO pgs_writer WITH GRANT OPTION;
SET ROLE pgs_writer;
GRANT SELECT ON docs TO pgs_reader;
RESET ROLE;
