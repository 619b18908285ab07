INSERT INTO accounts VALUES (4, 'edsger', 7, true);
DO $$ BEGIN
  BEGIN
    INSERT INTO accounts VALUES (5, 'ada', 1, true);
    RAISE 'the unique partial index was not rebuilt';
  EXCEPTION WHEN unique_violation THEN NULL;
  END;
END $$;
