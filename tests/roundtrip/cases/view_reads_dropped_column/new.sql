-- view_reads_dropped_column: a view reads a column that is dropped in new, and the view is dropped too (view must go before the column)
CREATE TABLE profiles (
    id integer PRIMARY KEY,
    display_name text
);
