-- drop_type_used_by_dropped_table: a domain, a composite type and an enum used only by a dropped table are dropped (table first, then types)
CREATE TABLE z_kept (
    id integer PRIMARY KEY
);
