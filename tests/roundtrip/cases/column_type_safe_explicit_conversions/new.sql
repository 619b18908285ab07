-- column_type_safe_explicit_conversions: conversions with no assignment cast but a safe explicit one, on rows: one enum to another by label, varchar to an enum, text to integer, integer to boolean
CREATE TYPE old_state AS ENUM ('new', 'done');
CREATE TYPE new_state AS ENUM ('new', 'running', 'done');
CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE jobs (
    id bigint PRIMARY KEY,
    state new_state NOT NULL DEFAULT 'new',
    prio priority NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    done boolean NOT NULL DEFAULT false
);
