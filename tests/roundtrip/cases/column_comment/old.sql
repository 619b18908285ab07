-- column_comment: column comments added, changed and removed
CREATE TABLE metrics (
    id integer PRIMARY KEY,
    name text,
    value double precision,
    unit text
);

COMMENT ON COLUMN metrics.name IS 'metric name';
COMMENT ON COLUMN metrics.unit IS 'SI unit';
