-- column_type_varchar_to_text: varchar(100) -> text on a column with a unique index and default
CREATE TABLE tags (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'untitled' UNIQUE
);
