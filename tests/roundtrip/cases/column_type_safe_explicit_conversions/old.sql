-- column_type_safe_explicit_conversions: conversions with no assignment cast but a safe explicit one, on rows: one enum to another by label, varchar to an enum, text to integer, integer to boolean
CREATE TYPE old_state AS ENUM ('new', 'done');
CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE jobs (
    id bigint PRIMARY KEY,
    state old_state NOT NULL DEFAULT 'new',
    prio character varying(10) NOT NULL,
    attempts text NOT NULL DEFAULT '0',
    done integer NOT NULL DEFAULT 0
);
