INSERT INTO tickets (title) VALUES ('takes 100');
SET ROLE pgs_app;
SELECT setval('notes_n_seq', 10);
RESET ROLE;
