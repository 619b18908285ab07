-- sequence_owned_by: an existing free sequence becomes OWNED BY a column and is used as that column's default
CREATE SEQUENCE widget_code_seq;

CREATE TABLE widgets (
    id integer PRIMARY KEY,
    code bigint
);
