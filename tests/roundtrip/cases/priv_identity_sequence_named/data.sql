INSERT INTO orders (total) VALUES (1), (2); INSERT INTO invoices DEFAULT VALUES; INSERT INTO "Line Items" (what) VALUES ('x');
