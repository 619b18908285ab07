INSERT INTO "Sales"."Order Lines" (sku) VALUES ('after upgrade');
DO $$ BEGIN
  IF (SELECT max("Line ID") FROM "Sales"."Order Lines") <> 4 THEN RAISE 'did not go on at 4'; END IF;
END $$;
