INSERT INTO tickets (title) VALUES ('after upgrade');
DO $$ BEGIN
  IF (SELECT max(id) FROM tickets) <> 1030 THEN RAISE 'did not go on at 1030'; END IF;
END $$;
