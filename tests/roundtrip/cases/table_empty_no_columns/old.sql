-- table_empty_no_columns: a table with zero columns gains its first column (and another zero-column table is created)
CREATE TABLE placeholder ();
