-- identity_drop: an identity column loses its identity (column and NOT NULL stay)
CREATE TABLE batches (
    id integer NOT NULL PRIMARY KEY,
    label text
);
