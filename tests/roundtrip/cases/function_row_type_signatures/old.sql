-- function_row_type_signatures: functions whose arguments and results are row types of tables, views and materialized views created in the same plan (a row type has no step of its own: the relation does)
CREATE TABLE ledgers (id bigint PRIMARY KEY, title text NOT NULL);
