-- type_change_under_index_view_and_check: text -> varchar(40) under an expression index whose text changes, a partial unique index, a view and a check on the same column; smallint -> integer under a multicolumn expression index
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    handle varchar(40) NOT NULL CHECK (handle <> ''),
    tier integer NOT NULL DEFAULT 1,
    active boolean NOT NULL DEFAULT true
);
CREATE INDEX accounts_handle_upper_idx ON accounts (upper(handle));
CREATE UNIQUE INDEX accounts_active_handle_key ON accounts (handle) WHERE active AND handle <> 'root';
CREATE INDEX accounts_tier_idx ON accounts ((tier * 2), id) WHERE tier > 0;
CREATE VIEW active_handles AS SELECT id, handle FROM accounts WHERE active;
