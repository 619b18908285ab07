-- enum_add_value_end: a value appended at the end of an enum that is used by a column
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic');

CREATE TABLE people (
    id integer PRIMARY KEY,
    current_mood mood
);
