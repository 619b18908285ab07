-- hostile_names_in_comments: names holding a line feed, a lone carriage return and */ followed by SQL, in a dropped column, a dropped check and an added index: the hazard and description comments that name them must not end early (the injected DROP TABLE would change the catalog)
CREATE TABLE precious (id integer PRIMARY KEY);
CREATE TABLE t (
    id integer PRIMARY KEY,
    note text,
    "v
DROP TABLE precious; --" integer,
    CONSTRAINT "cDROP TABLE precious; --" CHECK (id > 0)
);
