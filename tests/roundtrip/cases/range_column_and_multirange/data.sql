INSERT INTO bookings VALUES (1, 'Ada'), (2, 'Grace');
