-- unique-duplicates-primary-key does not fire on this schema.
CREATE TABLE t (id bigint PRIMARY KEY, email text UNIQUE);

