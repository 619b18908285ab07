-- priv_table_dropped_and_renamed: a table with grants dropped (the downgrade brings its grants back) and one replaced under a new name
CREATE TABLE clients (id integer);
GRANT SELECT ON clients TO pgs_reader;
GRANT UPDATE ON clients TO pgs_writer;
