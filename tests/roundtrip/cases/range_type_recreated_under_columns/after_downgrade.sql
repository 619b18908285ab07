INSERT INTO lessons (id, room) VALUES (5, 4);
DO $$ BEGIN
    IF (SELECT free FROM lessons WHERE id = 1) <> '{[10,11),[14,16)}'::slotranges THEN
        RAISE EXCEPTION 'multirange values changed';
    END IF;
    IF (SELECT count(*) FROM morning) <> 5 THEN RAISE EXCEPTION 'view rows'; END IF;
END $$;
