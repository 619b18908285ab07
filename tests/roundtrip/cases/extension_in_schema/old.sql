-- extension_in_schema: pg_trgm installed into its own schema "ext" and its opclass used by an index
CREATE TABLE articles (
    id integer PRIMARY KEY,
    title text NOT NULL
);
