-- generated_column_change_expression: a stored generated column's expression changes (PG15 has no SET EXPRESSION: drop + re-add); it has an index
CREATE TABLE rectangles (
    id integer PRIMARY KEY,
    width numeric NOT NULL,
    height numeric NOT NULL,
    area numeric GENERATED ALWAYS AS (round(width * height, 2)) STORED
);

CREATE INDEX rectangles_area_idx ON rectangles (area);
