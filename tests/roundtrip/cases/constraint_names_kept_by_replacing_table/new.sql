CREATE SEQUENCE mod_add_id_seq AS integer;
CREATE TABLE admin_add (
    id integer NOT NULL DEFAULT nextval('mod_add_id_seq'),
    mod_person_id integer NOT NULL,
    when_ timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT mod_add_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE mod_add_id_seq OWNED BY admin_add.id;
CREATE INDEX idx_mod_add_mod ON admin_add (mod_person_id);
CREATE SEQUENCE mod_ban_id_seq AS integer;
CREATE TABLE admin_ban (
    id integer NOT NULL DEFAULT nextval('mod_ban_id_seq'),
    reason text,
    CONSTRAINT mod_ban_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE mod_ban_id_seq OWNED BY admin_ban.id;
CREATE TABLE modlog (
    id serial PRIMARY KEY,
    admin_add_id integer CONSTRAINT modlog_mod_add_id_key UNIQUE,
    admin_ban_id integer,
    CONSTRAINT modlog_mod_add_id_fkey FOREIGN KEY (admin_add_id) REFERENCES admin_add ON DELETE CASCADE,
    CONSTRAINT modlog_mod_ban_id_fkey FOREIGN KEY (admin_ban_id) REFERENCES admin_ban ON DELETE CASCADE,
    CONSTRAINT modlog_one CHECK (num_nonnulls(admin_add_id, admin_ban_id) <= 1)
);
