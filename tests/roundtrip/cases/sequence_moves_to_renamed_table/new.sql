-- sequence_moves_to_renamed_table: a table replaced by a new one (no rename hint) that keeps the old serial sequence, and a dropped serial column whose sequence a new table takes over: each sequence is untied before its owner is dropped and tied to the new column after
CREATE SEQUENCE a_id_seq AS integer;
CREATE TABLE b (id integer DEFAULT nextval('a_id_seq'::regclass) NOT NULL, note text);
ALTER SEQUENCE a_id_seq OWNED BY b.id;
CREATE SEQUENCE c_counter_seq AS integer;
CREATE TABLE c (id integer PRIMARY KEY);
CREATE TABLE d (n integer DEFAULT nextval('c_counter_seq'::regclass) NOT NULL);
ALTER SEQUENCE c_counter_seq OWNED BY d.n;
