-- priv_serial_sequence_grants: a new table with a serial column whose sequence is granted, and an existing one's
CREATE TABLE notes (id serial PRIMARY KEY, body text);
