-- enum_quoted_labels: enum labels needing quoting (single quote, spaces, comma, capitals) and a new such label
CREATE TYPE "Weird Enum" AS ENUM ('it''s', 'Mixed Case', 'say "hi"', 'a,b');

CREATE TABLE things (
    id integer PRIMARY KEY,
    kind "Weird Enum" DEFAULT 'it''s'
);
