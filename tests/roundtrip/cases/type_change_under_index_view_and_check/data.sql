INSERT INTO accounts VALUES (1, 'ada', 2, true), (2, 'root', 1, true), (3, 'grace', 3, false);
