INSERT INTO lessons VALUES
    (1, 1, '[8,10)', '{[10,11),[14,16)}', ARRAY['[1,2)'::slotrange]),
    (2, 1, '[10,12)', NULL, NULL),
    (3, 2, DEFAULT, '{}', '{}');
