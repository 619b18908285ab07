-- drop_type_used_by_dropped_table: a domain, a composite type and an enum used only by a dropped table are dropped (table first, then types)
CREATE DOMAIN a_positive AS integer CHECK (VALUE > 0);
CREATE TYPE a_kind AS ENUM ('x', 'y');
CREATE TYPE a_pair AS (l integer, r integer);

CREATE TABLE z_kept (
    id integer PRIMARY KEY
);

CREATE TABLE z_gone (
    id integer PRIMARY KEY,
    amount a_positive,
    kind a_kind,
    pair a_pair
);
