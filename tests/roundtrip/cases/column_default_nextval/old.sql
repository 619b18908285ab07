-- column_default_nextval: a column default switches from a literal to nextval() of a new sequence
CREATE TABLE vouchers (
    id integer PRIMARY KEY,
    code integer DEFAULT 0
);
