-- comment_change_and_drop: comment texts change, one is removed, texts contain quotes, a newline, backslashes and non-ASCII (COMMENT IS '' means no comment)
CREATE SCHEMA notes;

CREATE TABLE notes.entries (
    id integer PRIMARY KEY,
    body text
);

COMMENT ON SCHEMA notes IS 'old schema comment';
COMMENT ON TABLE notes.entries IS 'old table comment';
COMMENT ON COLUMN notes.entries.body IS 'will be removed';
