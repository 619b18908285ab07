-- column_type_array: integer[] -> bigint[], text -> text[] (USING), and a new multi-dim array column
CREATE TABLE matrices (
    id integer PRIMARY KEY,
    ids bigint[] NOT NULL DEFAULT '{}',
    labels text[],
    cells numeric(6,2)[][]
);
