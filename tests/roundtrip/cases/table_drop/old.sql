-- table_drop: a standalone table with indexes, comments and a check is dropped
CREATE TABLE keep_me (
    id integer PRIMARY KEY
);

CREATE TABLE temp_imports (
    id bigint PRIMARY KEY,
    source text NOT NULL,
    row_data jsonb,
    imported_at timestamp DEFAULT now(),
    CONSTRAINT temp_imports_source_check CHECK (source IN ('csv', 'api'))
);

CREATE INDEX temp_imports_source_idx ON temp_imports (source);
COMMENT ON TABLE temp_imports IS 'staging for imports';
