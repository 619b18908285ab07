-- matview_depends_on_altered_column: an indexed materialized view reads a column whose type changes (matview + its index dropped and recreated)
CREATE TABLE events (
    id integer PRIMARY KEY,
    kind varchar(20) NOT NULL
);

CREATE MATERIALIZED VIEW event_kinds AS
    SELECT kind, count(*) AS n FROM events GROUP BY kind;

CREATE UNIQUE INDEX event_kinds_kind_uidx ON event_kinds (kind);
