-- rule_drops_are_never_silent: dropped table and column carry DATA_LOSS and IRREVERSIBLE_DOWNGRADE
CREATE TABLE keep (id integer PRIMARY KEY, name text, legacy text);
CREATE TABLE gone (id integer PRIMARY KEY);
