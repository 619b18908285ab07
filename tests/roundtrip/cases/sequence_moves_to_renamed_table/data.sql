INSERT INTO a (note) VALUES ('x'), ('y');
INSERT INTO c (id) VALUES (1), (2), (3);
