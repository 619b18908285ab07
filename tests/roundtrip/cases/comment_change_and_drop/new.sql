-- comment_change_and_drop: comment texts change, one is removed, texts contain quotes, a newline, backslashes and non-ASCII (COMMENT IS '' means no comment)
CREATE SCHEMA notes;

CREATE TABLE notes.entries (
    id integer PRIMARY KEY,
    body text
);

COMMENT ON SCHEMA notes IS 'it''s the "notes" schema';
COMMENT ON TABLE notes.entries IS E'first line\nsecond line with a backslash \\ and a tab\t; café $$ done';
COMMENT ON COLUMN notes.entries.id IS '';
