-- enum_add_value_after: values inserted in the middle of an enum (ADD VALUE ... AFTER), two adjacent new values
CREATE TYPE size AS ENUM ('small', 'large');

CREATE TABLE shirts (
    id integer PRIMARY KEY,
    sizes size[]
);
