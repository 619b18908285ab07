-- prefer-identity fires on this schema.
CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);

