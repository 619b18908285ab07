-- pk_switch_columns: the primary key moves from one column to another; the old key column becomes nullable, the new one gets NOT NULL
CREATE TABLE members (legacy_id integer, uuid uuid NOT NULL, email text);
ALTER TABLE members ADD CONSTRAINT members_pkey PRIMARY KEY (uuid);
