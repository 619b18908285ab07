DO $$ BEGIN
  IF nextval('counter') <> 100 THEN RAISE 'counter did not move to its new MINVALUE'; END IF;
  IF nextval('countdown') <> 500 THEN RAISE 'countdown did not move to its new MAXVALUE'; END IF;
END $$;
INSERT INTO t DEFAULT VALUES;
DO $$ BEGIN
  IF (SELECT id FROM t) <> 50 THEN RAISE 'identity did not move to its new MINVALUE'; END IF;
END $$;
