-- type_change_under_expression_index: column types change under expression and partial indexes (varchar -> text under lower(), timestamp -> date under date(), integer -> double precision in a predicate); the indexes are dropped and rebuilt around the change
CREATE TABLE keywords (
    id bigint PRIMARY KEY,
    keyword text NOT NULL,
    "date" date NOT NULL,
    score double precision
);
CREATE UNIQUE INDEX keywords_lower_idx ON keywords (lower(keyword));
CREATE INDEX keywords_day_idx ON keywords (date("date"));
CREATE INDEX keywords_scored_idx ON keywords (id) WHERE score > 10;
