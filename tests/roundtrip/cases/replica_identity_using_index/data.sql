INSERT INTO devices VALUES ('a-1', 1, 'phone'), ('b-2', 2, NULL);
