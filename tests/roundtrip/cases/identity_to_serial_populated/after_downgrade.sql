INSERT INTO events (kind) VALUES ('after downgrade');
INSERT INTO unused DEFAULT VALUES;
DO $$ BEGIN
  IF (SELECT max(id) FROM events) <> 14 THEN RAISE 'events did not go on at 14'; END IF;
  IF (SELECT max(id) FROM unused) <> 2 THEN RAISE 'unused did not go on at 2'; END IF;
END $$;
