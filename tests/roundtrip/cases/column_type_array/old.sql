-- column_type_array: integer[] -> bigint[], text -> text[] (USING), and a new multi-dim array column
CREATE TABLE matrices (
    id integer PRIMARY KEY,
    ids integer[] NOT NULL DEFAULT '{}',
    labels text
);
