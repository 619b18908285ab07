-- redundant-index does not fire on this schema.
CREATE TABLE t (a int, b int);
CREATE INDEX t_a_b ON t (a, b);
CREATE INDEX t_b ON t (b);

-- A unique index is not redundant to a longer one; another predicate is another index.
CREATE TABLE u (x int, y int);
CREATE UNIQUE INDEX u_x ON u (x);
CREATE INDEX u_x_y ON u (x, y);
CREATE INDEX u_x_live ON u (x) WHERE y > 0;
