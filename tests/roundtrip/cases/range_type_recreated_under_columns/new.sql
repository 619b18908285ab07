-- range_type_recreated_under_columns: a range type's subtype_diff changes while populated columns (range with a constructor default, multirange, array) and a view and an exclusion constraint use it: recreated beside, columns converted through text
CREATE EXTENSION btree_gist;

CREATE FUNCTION slot_diff(a integer, b integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT (a - b)::double precision $$;

CREATE TYPE slotrange AS RANGE (subtype = integer, subtype_diff = slot_diff, multirange_type_name = slotranges);

CREATE TABLE lessons (
    id integer PRIMARY KEY,
    room integer NOT NULL,
    slots slotrange NOT NULL DEFAULT slotrange(1, 2),
    free slotranges,
    past slotrange[],
    EXCLUDE USING gist (room WITH =, slots WITH &&)
);

CREATE VIEW morning AS SELECT id, slots FROM lessons WHERE upper(slots) <= 12;
