INSERT INTO orders SELECT i, '2025-01-01'::date + (i % 700), i % 50, 'new' FROM generate_series(1, 500) i;
