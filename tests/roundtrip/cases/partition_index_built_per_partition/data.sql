INSERT INTO measurements
SELECT '2025-06-01 00:00:00+00'::timestamptz + i * interval '1 day', CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'us' END, i, i * 1.5, CASE WHEN i % 3 = 0 THEN 'N' || i END
FROM generate_series(1, 900) i;
