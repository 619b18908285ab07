-- column_comment: column comments added, changed and removed
CREATE TABLE metrics (
    id integer PRIMARY KEY,
    name text,
    value double precision,
    unit text
);

COMMENT ON COLUMN metrics.name IS 'dotted metric name, e.g. cpu.load';
COMMENT ON COLUMN metrics.value IS 'last observed value';
