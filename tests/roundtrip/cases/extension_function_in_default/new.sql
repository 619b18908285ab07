-- extension_function_in_default: a new column default calls a function provided by pgcrypto
CREATE EXTENSION pgcrypto;

CREATE TABLE api_keys (
    id integer PRIMARY KEY,
    owner text NOT NULL,
    token text NOT NULL DEFAULT encode(gen_random_bytes(16), 'hex')
);
