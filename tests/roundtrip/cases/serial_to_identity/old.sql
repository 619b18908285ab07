-- serial_to_identity: a serial column becomes an identity column; the serial sequence legacy_id_seq has the same name the identity sequence will get
CREATE TABLE legacy (
    id serial PRIMARY KEY,
    note text
);
