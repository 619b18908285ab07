INSERT INTO products VALUES (1, 'tools', 'ABC-1', 9.99, 7), (2, 'tools', 'ABD-2', 19.50, 8);
