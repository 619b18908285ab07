-- quoted-identifier does not fire on this schema.
CREATE TABLE users (id bigint PRIMARY KEY, full_name text);

