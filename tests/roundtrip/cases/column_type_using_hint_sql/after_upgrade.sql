DO $$ BEGIN
  IF (SELECT string_agg(status::text || ' ' || to_char(opened AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || urgent::text, ', ' ORDER BY id) FROM tickets)
     <> 'open 2026-01-01 normal, closed 2026-01-02 urgent' THEN
    RAISE 'values not converted';
  END IF;
END $$;
INSERT INTO tickets (id, opened) VALUES (3, now());
