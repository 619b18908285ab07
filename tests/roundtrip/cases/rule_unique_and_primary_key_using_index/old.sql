-- rule_unique_and_primary_key_using_index: unique index built concurrently, then attached as the constraint
CREATE TABLE users (id integer NOT NULL, email text, tenant integer);
