-- enum_add_value_used_as_default: a new enum value is added and immediately used as a column default (new value cannot be used in the same transaction that adds it)
CREATE TYPE account_tier AS ENUM ('free', 'pro');

CREATE TABLE accounts (
    id integer PRIMARY KEY,
    tier account_tier NOT NULL DEFAULT 'free'
);
