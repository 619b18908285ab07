-- column_not_null: SET NOT NULL on one column and DROP NOT NULL on another
CREATE TABLE employees (
    id integer PRIMARY KEY,
    email text,
    phone text NOT NULL
);
