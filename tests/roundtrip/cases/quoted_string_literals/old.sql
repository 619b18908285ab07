-- quoted_string_literals: single quotes, backslashes, unicode and newlines inside defaults, checks, comments and an index predicate
CREATE TABLE phrases (
    id integer PRIMARY KEY,
    text_a text DEFAULT 'plain',
    text_b text,
    path text
);
