-- identity_add: plain NOT NULL columns become GENERATED ALWAYS / BY DEFAULT AS IDENTITY
CREATE TABLE orders (
    id bigint NOT NULL PRIMARY KEY,
    external_no integer NOT NULL
);
