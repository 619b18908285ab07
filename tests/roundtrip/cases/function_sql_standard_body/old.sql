-- function_sql_standard_body: SQL-standard function bodies (BEGIN ATOMIC / RETURN) that record real dependencies on a table and another function
CREATE TABLE counters (
    name text PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0
);
