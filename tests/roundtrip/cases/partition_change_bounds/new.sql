-- partition_change_bounds: an existing partition (same name) gets different bounds (detach + re-attach or recreate); multi-column range with MINVALUE/MAXVALUE
CREATE TABLE logs (
    year integer NOT NULL,
    month integer NOT NULL,
    line text
) PARTITION BY RANGE (year, month);

CREATE TABLE logs_old PARTITION OF logs FOR VALUES FROM (MINVALUE, MINVALUE) TO (2024, 1);
CREATE TABLE logs_current PARTITION OF logs FOR VALUES FROM (2024, 1) TO (MAXVALUE, MAXVALUE);
