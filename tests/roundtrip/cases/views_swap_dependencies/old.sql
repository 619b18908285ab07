-- views_swap_dependencies: two views that swap which reads which (v1 read v2; now v2 reads v1), both redefined in place, in the order that releases first
CREATE TABLE t (id int PRIMARY KEY, a int);
CREATE VIEW v2 AS SELECT id, a FROM t;
CREATE VIEW v1 AS SELECT id FROM v2;
