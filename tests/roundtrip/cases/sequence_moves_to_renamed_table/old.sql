-- sequence_moves_to_renamed_table: a table replaced by a new one (no rename hint) that keeps the old serial sequence, and a dropped serial column whose sequence a new table takes over: each sequence is untied before its owner is dropped and tied to the new column after
CREATE TABLE a (id serial PRIMARY KEY, note text);
CREATE TABLE c (id integer PRIMARY KEY, counter serial);
