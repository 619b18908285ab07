-- low-cardinality-index does not fire on this schema.
CREATE TABLE jobs (id bigint PRIMARY KEY, done boolean NOT NULL);
CREATE INDEX jobs_pending ON jobs (id) WHERE NOT done;

CREATE TYPE level AS ENUM ('a', 'b', 'c', 'd', 'e');
CREATE TABLE x (id bigint PRIMARY KEY, l level);
CREATE INDEX ON x (l);
