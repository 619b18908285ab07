SET ROLE pgs_app;
SELECT nextval('orders_id_seq');
RESET ROLE;
INSERT INTO orders (total) VALUES (3);
INSERT INTO events (kind) VALUES ('b');
