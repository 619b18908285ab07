-- identity_to_serial_populated: identity keys (one never used) on tables with rows become serial; the serial sequence goes on where the identity stopped
CREATE TABLE events (
    id bigserial PRIMARY KEY,
    kind text NOT NULL
);
CREATE TABLE unused (
    id serial PRIMARY KEY
);
