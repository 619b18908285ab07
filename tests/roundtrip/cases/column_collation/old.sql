-- column_collation: column collation changes default -> "C", "C" -> "POSIX", "POSIX" -> default
CREATE TABLE words (
    id integer PRIMARY KEY,
    a text,
    b text COLLATE "C",
    c varchar(40) COLLATE "POSIX"
);

CREATE INDEX words_b_idx ON words (b);
