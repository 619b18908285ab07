-- statistics_change: a statistics object's kinds changed (recreated), another's target and comment changed in place, one dropped, one moved to an expression
CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    source text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE STATISTICS events_kind_source (ndistinct, mcv) ON kind, source FROM events;
CREATE STATISTICS events_target ON kind, created_at FROM events;
ALTER STATISTICS events_target SET STATISTICS 1000;
COMMENT ON STATISTICS events_target IS 'new note';
CREATE STATISTICS events_day ON kind, (date_trunc('day', created_at AT TIME ZONE 'UTC')) FROM events;
