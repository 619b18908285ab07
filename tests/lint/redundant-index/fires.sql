-- redundant-index fires on this schema.
CREATE TABLE t (a int, b int);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_a_b ON t (a, b);

-- Identical twins: the later name is reported.
CREATE TABLE u (x int);
CREATE INDEX u_1 ON u (x);
CREATE INDEX u_2 ON u (x);
-- A plain index on the primary key's column.
CREATE TABLE v (id int PRIMARY KEY);
CREATE INDEX v_id ON v (id);
