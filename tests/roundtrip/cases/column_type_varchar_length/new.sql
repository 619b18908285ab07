-- column_type_varchar_length: varchar(50) -> varchar(200) and char(2) -> char(3)
CREATE TABLE companies (
    id integer PRIMARY KEY,
    name varchar(200) NOT NULL,
    country char(3)
);
