DO $$ BEGIN
  IF (SELECT state::text || prio || attempts || done::text FROM jobs WHERE id = 2) <> 'donehigh01' THEN
    RAISE 'values not converted back';
  END IF;
END $$;
INSERT INTO jobs (id, prio) VALUES (4, 'low');
