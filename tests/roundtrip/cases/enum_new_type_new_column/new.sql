-- enum_new_type_new_column: a new enum type used by a new column on an existing table
CREATE TYPE ticket_priority AS ENUM ('low', 'normal', 'high', 'urgent');

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    title text NOT NULL,
    priority ticket_priority NOT NULL DEFAULT 'normal'
);
