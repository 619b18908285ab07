SET ROLE pgs_app;
INSERT INTO events (kind) VALUES ('by the app, after the downgrade');
SELECT nextval('counters_n_seq');
RESET ROLE;
