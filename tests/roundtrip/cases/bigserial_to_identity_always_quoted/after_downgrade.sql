INSERT INTO "Sales"."Order Lines" (sku) VALUES ('after downgrade');
DO $$ BEGIN
  IF (SELECT max("Line ID") FROM "Sales"."Order Lines") <> 5 THEN RAISE 'did not go on at 5'; END IF;
END $$;
