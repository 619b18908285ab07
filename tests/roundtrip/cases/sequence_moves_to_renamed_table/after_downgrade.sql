INSERT INTO a (note) VALUES ('w');
INSERT INTO c (id) VALUES (9);
DO $$ BEGIN
  IF (SELECT max(id) FROM a) <> 4 THEN RAISE 'a_id_seq did not keep its position'; END IF;
  IF (SELECT counter FROM c WHERE id = 9) <= 4 THEN RAISE 'c_counter_seq did not keep its position'; END IF;
END $$;
