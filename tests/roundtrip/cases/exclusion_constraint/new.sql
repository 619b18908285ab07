-- exclusion_constraint: EXCLUDE USING gist with btree_gist on (room WITH =, tsrange WITH &&) and a WHERE clause (partial exclusion)
CREATE EXTENSION btree_gist;

CREATE TABLE bookings (
    id integer PRIMARY KEY,
    room_id integer NOT NULL,
    during tsrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (NOT cancelled)
);
