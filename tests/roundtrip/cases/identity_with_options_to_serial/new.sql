-- identity_with_options_to_serial: an identity counting by 10 from 1000 becomes a serial with a sequence counting the same way; the sequence goes on from the last key
CREATE SEQUENCE tickets_id_seq AS integer START WITH 1000 INCREMENT BY 10;
CREATE TABLE tickets (
    id integer DEFAULT nextval('tickets_id_seq') NOT NULL PRIMARY KEY,
    title text
);
ALTER SEQUENCE tickets_id_seq OWNED BY tickets.id;
