-- comment_view_and_function: comments on a view, a view column, a materialized view, a function (overloaded) and a procedure
CREATE TABLE t (
    id integer PRIMARY KEY,
    v text
);

CREATE VIEW t_view AS SELECT id, v FROM t;
CREATE MATERIALIZED VIEW t_mat AS SELECT count(*) AS n FROM t;

CREATE FUNCTION t_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM t $$;
CREATE FUNCTION t_count(min_id integer) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM t WHERE id >= min_id $$;
CREATE PROCEDURE t_clear() LANGUAGE sql AS $$ DELETE FROM t $$;

COMMENT ON VIEW t_view IS 'All rows of t';
COMMENT ON COLUMN t_view.v IS 'the value';
COMMENT ON MATERIALIZED VIEW t_mat IS 'Cached count';
COMMENT ON FUNCTION t_count(integer) IS 'Count rows from an id on';
COMMENT ON PROCEDURE t_clear() IS 'Delete everything';
