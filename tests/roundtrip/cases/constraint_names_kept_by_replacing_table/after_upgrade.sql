-- The sequences continue where the old tables' stopped.
INSERT INTO admin_add (mod_person_id) VALUES (7);
INSERT INTO admin_ban (reason) VALUES ('abuse');
INSERT INTO modlog (admin_add_id) SELECT max(id) FROM admin_add;
