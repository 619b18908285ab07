DO $$ BEGIN
  IF (SELECT string_agg("Issued At"::text || ' ' || "Qty", ', ' ORDER BY id) FROM "Billing".recent JOIN "Billing"."Invoices" USING (id, "Issued At"))
     <> '2026-01-01 3, 2026-01-02 0' THEN
    RAISE 'values not converted';
  END IF;
END $$;
INSERT INTO "Billing"."Invoices" (id, "Issued At") VALUES (3, current_date);
