-- table_drop: a standalone table with indexes, comments and a check is dropped
CREATE TABLE keep_me (
    id integer PRIMARY KEY
);
