INSERT INTO invoices (total) SELECT g FROM generate_series(1, 5) g;
INSERT INTO invoice_lines (invoice_id, note) SELECT i, 'line' FROM generate_series(1, 5) i;
-- a gap: the sequence is ahead of the rows
SELECT setval('invoice_lines_id_seq', 40);
