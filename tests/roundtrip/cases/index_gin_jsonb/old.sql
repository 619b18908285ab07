-- index_gin_jsonb: GIN indexes on jsonb (default jsonb_ops and jsonb_path_ops) and on a text[] array
CREATE TABLE documents (
    id integer PRIMARY KEY,
    body jsonb NOT NULL,
    meta jsonb,
    keywords text[]
);
