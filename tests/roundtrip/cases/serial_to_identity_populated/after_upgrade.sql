INSERT INTO invoices (total) VALUES (6);
INSERT INTO invoice_lines (invoice_id, note) VALUES (6, 'after upgrade');
DO $$ BEGIN
  IF (SELECT max(id) FROM invoices) <> 6 THEN RAISE 'invoices did not go on at 6'; END IF;
  IF (SELECT max(id) FROM invoice_lines) <> 41 THEN RAISE 'invoice_lines did not go on at 41'; END IF;
END $$;
