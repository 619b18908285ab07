-- priv_table_dropped_and_renamed: a table with grants dropped (the downgrade brings its grants back) and one replaced under a new name
CREATE TABLE legacy (id integer, note text);
GRANT SELECT, INSERT ON legacy TO pgs_writer;
GRANT SELECT (note) ON legacy TO pgs_reader;
CREATE TABLE customers (id integer);
GRANT SELECT ON customers TO pgs_reader;
