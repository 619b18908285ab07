-- view_on_view: the base view of a dependent view changes incompatibly; the dependent view must be dropped and recreated around it
CREATE TABLE employees (
    id integer PRIMARY KEY,
    name text NOT NULL,
    salary numeric(10,2),
    dept text
);

CREATE VIEW v_base AS
    SELECT id, dept, name, salary::integer AS salary FROM employees;

CREATE VIEW v_top AS
    SELECT name, dept FROM v_base WHERE salary > 100000;
