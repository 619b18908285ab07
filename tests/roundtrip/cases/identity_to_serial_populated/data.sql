INSERT INTO events (kind) SELECT 'k' || g FROM generate_series(1, 12) g;
