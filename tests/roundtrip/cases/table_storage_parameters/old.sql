-- table_storage_parameters: table reloptions (fillfactor, autovacuum_enabled) and column STORAGE / STATISTICS changed
CREATE TABLE hot_rows (
    id integer PRIMARY KEY,
    payload text,
    counter integer
);
