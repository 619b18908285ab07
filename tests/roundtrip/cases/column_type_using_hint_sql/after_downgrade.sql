DO $$ BEGIN
  IF (SELECT string_agg(status || ' ' || opened || ' ' || urgent::text, ', ' ORDER BY id) FROM tickets WHERE id < 3)
     <> '1 1767225600 false, 2 1767312000 true' THEN
    RAISE 'values not converted back';
  END IF;
END $$;
INSERT INTO tickets (id, opened) VALUES (4, 0);
