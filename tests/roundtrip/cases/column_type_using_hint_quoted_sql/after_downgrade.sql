DO $$ BEGIN
  IF (SELECT string_agg("Issued At" || ' ' || "Qty", ', ' ORDER BY id) FROM "Billing"."Invoices" WHERE id < 3)
     <> '1767225600 3, 1767312000 0' THEN
    RAISE 'values not converted back';
  END IF;
END $$;
INSERT INTO "Billing"."Invoices" (id, "Issued At") VALUES (4, 0);
