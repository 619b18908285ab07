-- column_default_nextval: a column default switches from a literal to nextval() of a new sequence
CREATE SEQUENCE voucher_code_seq START WITH 100000 INCREMENT BY 7;

CREATE TABLE vouchers (
    id integer PRIMARY KEY,
    code integer DEFAULT nextval('voucher_code_seq')
);
