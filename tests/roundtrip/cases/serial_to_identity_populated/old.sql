-- serial_to_identity_populated: a serial key on a table with rows becomes an identity; the identity goes on where the serial sequence stopped
CREATE TABLE invoices (
    id serial PRIMARY KEY,
    total numeric(10,2) NOT NULL
);
CREATE TABLE invoice_lines (
    id serial PRIMARY KEY,
    invoice_id integer NOT NULL REFERENCES invoices (id),
    note text
);
