INSERT INTO mod_add (mod_person_id) VALUES (7);
INSERT INTO modlog (mod_add_id) SELECT max(id) FROM mod_add;
