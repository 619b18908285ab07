-- constraint_names_kept: a new table whose PK, unique, check, FK and exclusion constraints all have explicit non-default names
CREATE TABLE regions (
    id integer CONSTRAINT pk_regions PRIMARY KEY
);

CREATE TABLE stores (
    id integer,
    region_id integer CONSTRAINT "Store Region Must Exist" REFERENCES regions (id),
    code text NOT NULL,
    opened date,
    area int4range,
    CONSTRAINT pk_stores PRIMARY KEY (id),
    CONSTRAINT uq_stores_code UNIQUE (code),
    CONSTRAINT ck_stores_opened CHECK (opened > '2000-01-01'),
    CONSTRAINT ex_stores_area EXCLUDE USING gist (area WITH &&)
);
