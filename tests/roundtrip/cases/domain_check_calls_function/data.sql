INSERT INTO pages VALUES (1, 'home'), (2, 'about-us');
