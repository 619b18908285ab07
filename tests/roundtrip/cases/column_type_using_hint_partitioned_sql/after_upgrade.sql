DO $$ BEGIN
  IF (SELECT string_agg(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ',' ORDER BY id) FROM events) <> '2026-01-01,2026-01-02' THEN
    RAISE 'values not converted';
  END IF;
END $$;
