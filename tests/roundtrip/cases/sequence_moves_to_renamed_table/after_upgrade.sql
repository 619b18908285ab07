INSERT INTO b (note) VALUES ('z');
INSERT INTO d DEFAULT VALUES;
DO $$ BEGIN
  IF (SELECT id FROM b) <> 3 THEN RAISE 'a_id_seq did not keep its position'; END IF;
  IF (SELECT n FROM d) <> 4 THEN RAISE 'c_counter_seq did not keep its position'; END IF;
END $$;
