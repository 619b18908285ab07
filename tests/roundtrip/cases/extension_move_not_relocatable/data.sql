INSERT INTO docs VALUES (1, '<doc><title>T</title></doc>');
