-- function_sql_standard_body: SQL-standard function bodies (BEGIN ATOMIC / RETURN) that record real dependencies on a table and another function
CREATE TABLE counters (
    name text PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION plus_one(n bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE
    RETURN n + 1;

CREATE FUNCTION counter_value(counter_name text) RETURNS bigint
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT plus_one(value) - 1 FROM counters WHERE name = counter_name;
END;

CREATE PROCEDURE bump(counter_name text)
    LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO counters (name, value) VALUES (counter_name, 1)
        ON CONFLICT (name) DO UPDATE SET value = plus_one(counters.value);
END;
