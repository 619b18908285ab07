-- check_in_list_on_varchar: checks written as col IN ('a','b') on varchar and char columns and a varchar domain (stored as = ANY ((ARRAY[...::character varying])::text[])) diff clean, change, and come out byte-identical in pg_dump; a new table and a new domain check with such a list
CREATE TABLE orders (
    id integer PRIMARY KEY,
    status varchar(20) NOT NULL CONSTRAINT orders_status_check CHECK (status IN ('new', 'paid')),
    region char(2) CONSTRAINT orders_region_check CHECK (region IN ('EU', 'US')),
    kind varchar CHECK (kind IN ('a', 'b') OR kind IS NULL)
);
CREATE DOMAIN currency AS varchar(3) CHECK (VALUE IN ('EUR', 'USD'));
