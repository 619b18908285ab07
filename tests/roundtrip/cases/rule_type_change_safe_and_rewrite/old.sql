-- rule_type_change_safe_and_rewrite: varchar widening is catalog-only; integer to bigint rewrites (TABLE_REWRITE)
CREATE TABLE items (id integer PRIMARY KEY, code varchar(10), qty integer, price numeric(8,2));
