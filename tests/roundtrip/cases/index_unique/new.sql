-- index_unique: unique indexes (not constraints) added: single column, multi-column, NULLS NOT DISTINCT
CREATE TABLE devices (
    id integer PRIMARY KEY,
    serial text NOT NULL,
    vendor text,
    model text
);

CREATE UNIQUE INDEX devices_serial_uidx ON devices (serial);
CREATE UNIQUE INDEX devices_vendor_model_uidx ON devices (vendor, model) NULLS NOT DISTINCT;
