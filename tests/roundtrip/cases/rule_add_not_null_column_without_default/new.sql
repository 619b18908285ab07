-- rule_add_not_null_column_without_default: expand (nullable + guard), contract (NOT NULL via a validated check)
CREATE TABLE accounts (id bigint PRIMARY KEY, name text, plan text NOT NULL);
