INSERT INTO orders (total) VALUES (4);
SELECT pg_catalog.nextval('invoice_numbers');
