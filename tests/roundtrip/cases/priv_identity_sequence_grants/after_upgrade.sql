INSERT INTO events (kind) VALUES ('c');
SET ROLE pgs_app;
INSERT INTO events (kind) VALUES ('by the app: the sequence grant is still there');
INSERT INTO jobs (state) VALUES ('by the app: the new sequence is granted');
SELECT currval('events_id_seq');
RESET ROLE;
