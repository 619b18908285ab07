-- rule_foreign_key_and_check_not_valid: added NOT VALID, then validated in a separate step
CREATE TABLE authors (id integer PRIMARY KEY);
CREATE TABLE books (id integer PRIMARY KEY, author_id integer REFERENCES authors (id) ON DELETE SET NULL, pages integer CHECK (pages > 0));
