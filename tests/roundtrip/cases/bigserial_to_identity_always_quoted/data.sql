INSERT INTO "Sales"."Order Lines" (sku) SELECT 'sku-' || g FROM generate_series(1, 3) g;
