-- index_sort_order: DESC, NULLS FIRST, NULLS LAST and a per-column COLLATE in an index
CREATE TABLE scores (
    id integer PRIMARY KEY,
    player text NOT NULL,
    points integer,
    achieved_at timestamptz
);
