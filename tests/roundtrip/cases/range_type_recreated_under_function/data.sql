INSERT INTO spans VALUES (1, '[1,3)'), (2, NULL);
