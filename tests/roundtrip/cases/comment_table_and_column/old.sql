-- comment_table_and_column: comments on a table and its columns added
CREATE TABLE suppliers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    vat_no text
);
