INSERT INTO accounts VALUES (1), (2);
INSERT INTO events VALUES (1, '2025-03-01', 1, 'a'), (2, '2026-03-01', 2, 'b');
INSERT INTO event_notes VALUES (1, 1, '2025-03-01');
