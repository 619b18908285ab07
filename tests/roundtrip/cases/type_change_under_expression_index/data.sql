INSERT INTO keywords VALUES (1, 'Alpha', '2026-01-02 10:00', 5), (2, 'beta', '2026-01-03 11:00', 20);
