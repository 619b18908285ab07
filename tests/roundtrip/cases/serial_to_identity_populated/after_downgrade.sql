INSERT INTO invoices (total) VALUES (7);
INSERT INTO invoice_lines (invoice_id, note) VALUES (7, 'after downgrade');
DO $$ BEGIN
  IF (SELECT max(id) FROM invoices) <> 7 THEN RAISE 'invoices did not go on at 7'; END IF;
  IF (SELECT max(id) FROM invoice_lines) <> 42 THEN RAISE 'invoice_lines did not go on at 42'; END IF;
END $$;
