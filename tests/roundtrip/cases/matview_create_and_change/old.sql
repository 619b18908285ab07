-- matview_create_and_change: a materialized view's definition changes (must drop + create) and a new one is created
CREATE TABLE page_hits (
    id bigint PRIMARY KEY,
    path text NOT NULL,
    hit_at timestamptz NOT NULL
);

CREATE MATERIALIZED VIEW hits_per_path AS
    SELECT path, count(*) AS hits FROM page_hits GROUP BY path;
