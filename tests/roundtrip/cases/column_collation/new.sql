-- column_collation: column collation changes default -> "C", "C" -> "POSIX", "POSIX" -> default
CREATE TABLE words (
    id integer PRIMARY KEY,
    a text COLLATE "C",
    b text COLLATE "POSIX",
    c varchar(40)
);

CREATE INDEX words_b_idx ON words (b);
