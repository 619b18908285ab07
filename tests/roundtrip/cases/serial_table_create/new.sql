-- serial_table_create: a new table with serial primary key and smallserial column
CREATE TABLE categories (
    id serial PRIMARY KEY,
    position smallserial,
    name text NOT NULL UNIQUE
);
