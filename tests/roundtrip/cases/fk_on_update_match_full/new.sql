-- fk_on_update_match_full: a composite FK gains ON UPDATE CASCADE and MATCH FULL
CREATE TABLE warehouses (
    country char(2) NOT NULL,
    code text NOT NULL,
    PRIMARY KEY (country, code)
);

CREATE TABLE stock (
    id integer PRIMARY KEY,
    wh_country char(2),
    wh_code text,
    CONSTRAINT stock_warehouse_fkey FOREIGN KEY (wh_country, wh_code) REFERENCES warehouses (country, code)
        MATCH FULL ON UPDATE CASCADE ON DELETE RESTRICT
);
