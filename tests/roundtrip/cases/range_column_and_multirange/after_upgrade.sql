INSERT INTO bookings VALUES (3, 'Edsger', numrange2(10, 20), numranges2(numrange2(1, 2), numrange2(5, 6)), ARRAY[numrange2(1, 3)]);
INSERT INTO tariffs (code) VALUES ('standard');
