-- index_expression: expression indexes (lower(email) unique, date_trunc on a column, a jsonb field extraction)
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    email text NOT NULL,
    created_at timestamp NOT NULL,
    profile jsonb
);

CREATE UNIQUE INDEX accounts_email_lower_uidx ON accounts (lower(email));
CREATE INDEX accounts_created_day_idx ON accounts (date_trunc('day', created_at));
CREATE INDEX accounts_profile_city_idx ON accounts ((profile ->> 'city'), id);
