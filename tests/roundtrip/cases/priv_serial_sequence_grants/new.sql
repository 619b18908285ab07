-- priv_serial_sequence_grants: a new table with a serial column whose sequence is granted, and an existing one's
CREATE TABLE notes (id serial PRIMARY KEY, body text);
CREATE TABLE tags (id serial PRIMARY KEY, name text);
GRANT SELECT, INSERT ON notes, tags TO pgs_app;
GRANT USAGE ON SEQUENCE notes_id_seq, tags_id_seq TO pgs_app;
