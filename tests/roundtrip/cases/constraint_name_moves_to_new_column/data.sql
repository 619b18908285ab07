INSERT INTO customers SELECT g FROM generate_series(1, 50) g;
INSERT INTO orders SELECT g, g * 100, 'R' || g, 1 + g % 50 FROM generate_series(1, 500) g;
