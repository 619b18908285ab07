INSERT INTO tickets (title) VALUES ('a'), ('b'), ('c');
