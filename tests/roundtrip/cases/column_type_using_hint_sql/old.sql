-- column_type_using_hint_sql: type changes with no cast, converted by `-- pgshift: using` / `downgrade_using` comments in the .sql model (smallint -> enum, bigint -> timestamptz, boolean -> enum), on rows, both ways
CREATE TYPE ticket_status AS ENUM ('open', 'closed');
CREATE TYPE urgency AS ENUM ('normal', 'urgent');
CREATE TABLE tickets (
    id bigint PRIMARY KEY,
    status smallint NOT NULL DEFAULT 1,
    opened bigint NOT NULL,
    urgent boolean NOT NULL DEFAULT false,
    note text
);
