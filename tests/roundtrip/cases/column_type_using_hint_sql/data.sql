INSERT INTO tickets VALUES (1, 1, 1767225600, false, 'a'), (2, 2, 1767312000, true, NULL);
