INSERT INTO events (kind) VALUES ('c');
INSERT INTO jobs (state) VALUES ('new');
SET ROLE pgs_app;
INSERT INTO events (kind) VALUES ('by the app: the sequence grant is still there');
RESET ROLE;
