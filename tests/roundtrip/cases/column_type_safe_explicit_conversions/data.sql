INSERT INTO jobs VALUES (1, 'new', 'low', '3', 0), (2, 'done', 'high', '0', 1);
