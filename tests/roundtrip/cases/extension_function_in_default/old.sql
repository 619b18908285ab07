-- extension_function_in_default: a new column default calls a function provided by pgcrypto
CREATE TABLE api_keys (
    id integer PRIMARY KEY,
    owner text NOT NULL
);
