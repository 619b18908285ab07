INSERT INTO events SELECT i, 'k' || (i % 3), 's' || (i % 5), '2026-01-01'::timestamptz + i * interval '1 hour' FROM generate_series(1, 100) i;
