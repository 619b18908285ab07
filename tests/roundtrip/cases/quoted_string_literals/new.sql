-- quoted_string_literals: single quotes, backslashes, unicode and newlines inside defaults, checks, comments and an index predicate
CREATE TABLE phrases (
    id integer PRIMARY KEY,
    text_a text DEFAULT 'it''s',
    text_b text DEFAULT E'line1\nline2' CONSTRAINT phrases_text_b_check CHECK (text_b <> 'don''t'),
    path text DEFAULT 'C:\temp\new' CHECK (path NOT LIKE '%''%'),
    smiley text DEFAULT 'naïve ☺ "double" ''single''',
    CONSTRAINT phrases_semicolon_check CHECK (text_a <> '; DROP TABLE phrases; --')
);

CREATE INDEX phrases_quoted_idx ON phrases (id) WHERE text_a = 'o''clock';

COMMENT ON TABLE phrases IS 'it''s a table with ''quotes''';
COMMENT ON COLUMN phrases.path IS 'Windows path like C:\temp';
