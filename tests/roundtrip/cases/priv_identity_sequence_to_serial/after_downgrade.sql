INSERT INTO orders (total) VALUES (4);
SET ROLE pgs_app;
SELECT currval('orders_id_seq');
RESET ROLE;
