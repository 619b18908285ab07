-- rls_enable_force: ENABLE and FORCE ROW LEVEL SECURITY toggled independently on three tables
CREATE TABLE a_notes (id integer PRIMARY KEY, owner text NOT NULL DEFAULT current_user);
CREATE TABLE b_notes (id integer PRIMARY KEY, owner text NOT NULL DEFAULT current_user);
CREATE TABLE c_notes (id integer PRIMARY KEY, owner text NOT NULL DEFAULT current_user);

ALTER TABLE a_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE a_notes FORCE ROW LEVEL SECURITY;
ALTER TABLE b_notes FORCE ROW LEVEL SECURITY;
