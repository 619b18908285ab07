-- table_made_partitioned_under_views: a plain table rebuilt as a partitioned one (and back on the way down) while a view, a view over that view and a materialized view read it: they are dropped before the table and created after it, without a cycle
CREATE TABLE readings (
    id bigint NOT NULL,
    taken_on date NOT NULL,
    sensor text NOT NULL,
    value double precision,
    CONSTRAINT readings_pkey PRIMARY KEY (id)
);
CREATE VIEW daily_readings AS
    SELECT taken_on, sensor, avg(value) AS mean FROM readings GROUP BY taken_on, sensor;
CREATE VIEW "Hot Days" AS SELECT taken_on FROM daily_readings WHERE mean > 30;
CREATE MATERIALIZED VIEW sensor_counts AS SELECT sensor, count(*) AS n FROM readings GROUP BY sensor;
