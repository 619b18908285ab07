-- sequence_create: standalone sequences created (one with all options spelled out)
CREATE TABLE invoices (
    id integer PRIMARY KEY
);
