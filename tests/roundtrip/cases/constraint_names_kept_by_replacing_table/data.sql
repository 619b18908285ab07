INSERT INTO mod_add (mod_person_id) SELECT g FROM generate_series(1, 100) g;
INSERT INTO mod_ban (reason) SELECT 'spam ' || g FROM generate_series(1, 100) g;
INSERT INTO modlog (mod_add_id) SELECT g FROM generate_series(1, 100) g;
