INSERT INTO addresses SELECT i, 'city' || (i % 10), (10000 + i % 10)::text, 'NL' FROM generate_series(1, 200) i;
ANALYZE addresses;
