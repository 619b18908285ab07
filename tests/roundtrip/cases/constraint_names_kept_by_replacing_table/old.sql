-- A table replaced by one of another name that keeps the old one's names (as a rename
-- done by hand leaves them): its serial sequence, primary key and index names, and a
-- foreign key of another table whose name stays while it moves to a new column.
CREATE TABLE mod_add (
    id serial PRIMARY KEY,
    mod_person_id integer NOT NULL,
    when_ timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_mod_add_mod ON mod_add (mod_person_id);
CREATE TABLE mod_ban (
    id serial CONSTRAINT mod_ban_pkey PRIMARY KEY,
    reason text
);
CREATE TABLE modlog (
    id serial PRIMARY KEY,
    mod_add_id integer CONSTRAINT modlog_mod_add_id_key UNIQUE,
    mod_ban_id integer,
    CONSTRAINT modlog_mod_add_id_fkey FOREIGN KEY (mod_add_id) REFERENCES mod_add ON DELETE CASCADE,
    CONSTRAINT modlog_mod_ban_id_fkey FOREIGN KEY (mod_ban_id) REFERENCES mod_ban ON DELETE CASCADE,
    CONSTRAINT modlog_one CHECK (num_nonnulls(mod_add_id, mod_ban_id) <= 1)
);
