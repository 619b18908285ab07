-- trigger_on_partitioned_table: a row trigger on a partitioned table (cloned automatically onto every partition)
CREATE TABLE events (
    id bigint NOT NULL,
    kind text NOT NULL,
    created_at timestamptz
) PARTITION BY LIST (kind);

CREATE TABLE events_click PARTITION OF events FOR VALUES IN ('click');
CREATE TABLE events_view PARTITION OF events FOR VALUES IN ('view');

CREATE FUNCTION events_stamp() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.created_at := coalesce(NEW.created_at, now()); RETURN NEW; END $$;

CREATE TRIGGER events_stamp_trg
    BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_stamp();
