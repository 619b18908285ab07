-- replica_identity_using_index: REPLICA IDENTITY USING INDEX on a new table (after its index is built), an existing table moving to a new unique index (built concurrently first), one moving from an index to FULL, and a quoted index name
CREATE TABLE accounts (id integer NOT NULL, email text NOT NULL);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
ALTER TABLE accounts REPLICA IDENTITY FULL;
CREATE TABLE devices (serial text NOT NULL, owner integer NOT NULL, label text);
CREATE UNIQUE INDEX "Devices by Serial" ON devices (serial, owner);
ALTER TABLE devices REPLICA IDENTITY USING INDEX "Devices by Serial";
CREATE TABLE tokens (value text NOT NULL, kind smallint NOT NULL);
CREATE UNIQUE INDEX tokens_value_kind ON tokens (value, kind);
ALTER TABLE tokens REPLICA IDENTITY USING INDEX tokens_value_kind;
