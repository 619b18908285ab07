-- function_result_change_under_view_and_check: a function whose result type changes (drop + create) is used by a check constraint and by a view over a column whose type changes: view and constraint dropped around both changes
CREATE TABLE t (id int PRIMARY KEY, a bigint);
CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT x + 2 $$;
CREATE TABLE u (id int PRIMARY KEY, b int, CONSTRAINT ck CHECK (f(b) > 0));
CREATE VIEW v AS SELECT t.id, f(t.a::int) AS fa FROM t;
