DO $$ BEGIN
  IF (SELECT string_agg(at::text, ',' ORDER BY id) FROM events) <> '1767225600,1767312000' THEN
    RAISE 'values not converted back';
  END IF;
END $$;
