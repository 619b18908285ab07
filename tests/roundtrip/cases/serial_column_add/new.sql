-- serial_column_add: serial and bigserial columns added to an existing table (implicit owned sequence + nextval default)
CREATE TABLE events (
    name text NOT NULL,
    id serial,
    global_seq bigserial NOT NULL
);
