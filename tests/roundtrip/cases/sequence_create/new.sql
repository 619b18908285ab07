-- sequence_create: standalone sequences created (one with all options spelled out)
CREATE TABLE invoices (
    id integer PRIMARY KEY
);

CREATE SEQUENCE invoice_number_seq;

CREATE SEQUENCE ticket_seq
    AS integer
    INCREMENT BY 10
    MINVALUE 100
    MAXVALUE 100000
    START WITH 200
    CACHE 5
    CYCLE;
