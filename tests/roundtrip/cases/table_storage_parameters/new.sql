-- table_storage_parameters: table reloptions (fillfactor, autovacuum_enabled) and column STORAGE / STATISTICS changed
CREATE TABLE hot_rows (
    id integer PRIMARY KEY,
    payload text,
    counter integer
) WITH (fillfactor = 70, autovacuum_enabled = false);

ALTER TABLE hot_rows ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE hot_rows ALTER COLUMN counter SET STATISTICS 500;
