-- view_change_definition_incompatible: a view's columns are removed/retyped/reordered (CREATE OR REPLACE fails: must DROP + CREATE)
CREATE TABLE readings (
    id integer PRIMARY KEY,
    sensor text,
    value numeric,
    taken_at timestamptz
);

CREATE VIEW latest_readings AS
    SELECT taken_at, sensor, round(value)::integer AS value FROM readings WHERE taken_at > now() - interval '1 hour';
