INSERT INTO events (kind) VALUES ('after upgrade');
INSERT INTO unused DEFAULT VALUES;
DO $$ BEGIN
  IF (SELECT max(id) FROM events) <> 13 THEN RAISE 'events did not go on at 13'; END IF;
  IF (SELECT max(id) FROM unused) <> 1 THEN RAISE 'unused did not start at 1'; END IF;
END $$;
