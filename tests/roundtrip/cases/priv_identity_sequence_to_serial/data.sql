INSERT INTO orders (total) VALUES (1), (2); INSERT INTO events (kind) VALUES ('a');
