INSERT INTO orders (total) VALUES (3);
INSERT INTO invoices DEFAULT VALUES;
SELECT pg_catalog.setval('"Order Numbers"', 100);
INSERT INTO receipts (paid) VALUES (true);
