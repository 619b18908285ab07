INSERT INTO tickets (title) VALUES ('after downgrade');
DO $$ BEGIN
  IF (SELECT max(id) FROM tickets) <> 1040 THEN RAISE 'did not go on at 1040'; END IF;
END $$;
