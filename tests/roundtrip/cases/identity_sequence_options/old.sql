-- identity_sequence_options: identity sequence options changed (START WITH, INCREMENT BY, MINVALUE, CACHE) and a new identity with options
CREATE TABLE tokens (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1) PRIMARY KEY,
    serial_no integer NOT NULL
);
