-- unused-enum fires on this schema.
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE t (id bigint PRIMARY KEY);

