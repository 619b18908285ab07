-- index_gin_jsonb: GIN indexes on jsonb (default jsonb_ops and jsonb_path_ops) and on a text[] array
CREATE TABLE documents (
    id integer PRIMARY KEY,
    body jsonb NOT NULL,
    meta jsonb,
    keywords text[]
);

CREATE INDEX documents_body_gin ON documents USING gin (body);
CREATE INDEX documents_meta_path_gin ON documents USING gin (meta jsonb_path_ops);
CREATE INDEX documents_keywords_gin ON documents USING gin (keywords);
