INSERT INTO "Billing"."Invoices" VALUES (1, 1767225600, ' 3 '), (2, 1767312000 + 3600, '');
