INSERT INTO tasks VALUES (1, 'draft', 'a'), (2, 'open', 'b'), (3, 'closed', 'c');
