-- low-cardinality-index fires on this schema.
CREATE TABLE jobs (id bigint PRIMARY KEY, done boolean NOT NULL);
CREATE INDEX jobs_done ON jobs (done);

CREATE TYPE state AS ENUM ('new', 'done');
CREATE TABLE tasks (id bigint PRIMARY KEY, s state NOT NULL);
CREATE INDEX tasks_s ON tasks (s);
