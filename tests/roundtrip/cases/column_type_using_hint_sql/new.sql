-- column_type_using_hint_sql: type changes with no cast, converted by `-- pgshift: using` / `downgrade_using` comments in the .sql model (smallint -> enum, bigint -> timestamptz, boolean -> enum), on rows, both ways
CREATE TYPE ticket_status AS ENUM ('open', 'closed');
CREATE TYPE urgency AS ENUM ('normal', 'urgent');
CREATE TABLE tickets (
    id bigint PRIMARY KEY, -- the key; not a hint
    status ticket_status /* pgshift: downgrade_using CASE status WHEN 'open' THEN 1 ELSE 2 END */
        NOT NULL DEFAULT 'open', -- pgshift: using (CASE status WHEN 1 THEN 'open' ELSE 'closed' END)::ticket_status
                                                  -- (a plain comment between)
    opened timestamptz /* pgshift: using to_timestamp(opened) */ /* pgshift: downgrade_using extract(epoch FROM opened)::bigint */
        NOT NULL,
    urgent urgency NOT NULL DEFAULT 'normal' -- pgshift: using (CASE WHEN urgent THEN 'urgent' ELSE 'normal' END)::urgency
        , -- pgshift: downgrade_using urgent = 'urgent'
    note text
);
