-- enum_remove_value: a value removed from an enum used by a column with an enum default and an index (type must be rebuilt)
CREATE TYPE post_state AS ENUM ('draft', 'published', 'archived');

CREATE TABLE posts (
    id integer PRIMARY KEY,
    title text NOT NULL,
    state post_state NOT NULL DEFAULT 'draft'
);

CREATE INDEX posts_state_idx ON posts (state);

CREATE TABLE post_history (
    post_id integer NOT NULL REFERENCES posts (id),
    old_state post_state,
    new_state post_state NOT NULL
);
