INSERT INTO members (legacy_id, email) VALUES (4, 'd@x');
