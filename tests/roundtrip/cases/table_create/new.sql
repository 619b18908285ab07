-- table_create: a new table with several column types, defaults and constraints
CREATE TABLE existing (
    id integer PRIMARY KEY
);

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    happened_at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL DEFAULT current_user,
    action varchar(32) NOT NULL CHECK (action <> ''),
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    ip inet,
    tags text[] DEFAULT ARRAY[]::text[],
    amount numeric(12,2),
    flag boolean NOT NULL DEFAULT false,
    ref uuid DEFAULT gen_random_uuid()
);
