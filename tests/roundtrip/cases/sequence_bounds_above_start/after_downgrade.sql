DO $$ BEGIN
  IF nextval('counter') <> 101 THEN RAISE 'counter lost its position'; END IF;
END $$;
INSERT INTO t DEFAULT VALUES;
