-- drop_table_referenced_by_kept_table: a table referenced by an FK from a kept table is dropped; the FK (and column) must go first
CREATE TABLE a_categories (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE b_products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    category_id integer CONSTRAINT b_products_category_fkey REFERENCES a_categories (id)
);
