-- index_storage_params: index fillfactor and gin fastupdate storage parameters changed
CREATE TABLE counters (
    id integer PRIMARY KEY,
    name text,
    tags text[]
);

CREATE INDEX counters_name_idx ON counters (name) WITH (fillfactor = 90);
CREATE INDEX counters_tags_idx ON counters USING gin (tags) WITH (fastupdate = off);
