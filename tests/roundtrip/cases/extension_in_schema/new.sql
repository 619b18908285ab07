-- extension_in_schema: pg_trgm installed into its own schema "ext" and its opclass used by an index
CREATE SCHEMA ext;
CREATE EXTENSION pg_trgm WITH SCHEMA ext;

CREATE TABLE articles (
    id integer PRIMARY KEY,
    title text NOT NULL
);

CREATE INDEX articles_title_trgm ON articles USING gin (title ext.gin_trgm_ops);
