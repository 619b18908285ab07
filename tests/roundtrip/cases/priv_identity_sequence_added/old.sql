-- priv_identity_sequence_added: an identity added to an existing column and a new identity column, each with its sequence granted; default privileges on sequences apply to a new identity's sequence
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON SEQUENCES TO pgs_reader;
CREATE TABLE tickets (id bigint NOT NULL PRIMARY KEY, title text);
CREATE TABLE notes (body text);
