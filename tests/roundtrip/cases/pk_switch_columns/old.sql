-- pk_switch_columns: the primary key moves from one column to another; the old key column becomes nullable, the new one gets NOT NULL
CREATE TABLE members (legacy_id integer NOT NULL, uuid uuid, email text);
ALTER TABLE members ADD CONSTRAINT members_pkey PRIMARY KEY (legacy_id);
