-- constraint_names_kept: a new table whose PK, unique, check, FK and exclusion constraints all have explicit non-default names
CREATE TABLE regions (
    id integer CONSTRAINT pk_regions PRIMARY KEY
);
