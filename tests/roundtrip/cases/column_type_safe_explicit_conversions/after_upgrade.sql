DO $$ BEGIN
  IF (SELECT state::text || prio::text || attempts || done::text FROM jobs WHERE id = 2) <> 'donehigh0true' THEN
    RAISE 'values not converted';
  END IF;
END $$;
INSERT INTO jobs (id, prio) VALUES (3, 'low');
