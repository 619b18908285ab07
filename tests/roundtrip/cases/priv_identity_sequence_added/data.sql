INSERT INTO tickets VALUES (1, 'a'), (2, 'b'); INSERT INTO notes VALUES ('x');
