-- long-identifier does not fire on this schema.
CREATE TABLE invoice_adjustments_archive (id bigint PRIMARY KEY);

