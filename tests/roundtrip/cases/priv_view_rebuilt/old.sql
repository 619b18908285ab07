-- priv_view_rebuilt: a view and a materialized view rebuilt around a column type change get their grants back
CREATE TABLE events (id integer PRIMARY KEY, kind varchar(20));
CREATE VIEW recent_events AS SELECT id, kind FROM events;
CREATE MATERIALIZED VIEW event_kinds AS SELECT DISTINCT kind FROM events;
GRANT SELECT ON recent_events TO pgs_reader;
GRANT SELECT ON event_kinds TO pgs_reader WITH GRANT OPTION;
GRANT SELECT (kind) ON events TO pgs_reader;
