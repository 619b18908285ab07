INSERT INTO accounts VALUES (6, 'barbara', 1, true);
