-- unused-enum does not fire on this schema.
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE t (id bigint PRIMARY KEY, m mood);

CREATE TYPE tag AS ENUM ('x');
CREATE TABLE y (id bigint PRIMARY KEY, tags tag[]);
CREATE TYPE color AS ENUM ('red');
CREATE FUNCTION paint() RETURNS color LANGUAGE sql AS $$ SELECT 'red'::color $$;
