-- range_exclusion_constraint: no double bookings: exclusion constraints over a built-in and a user range type with btree_gist, added to existing tables
CREATE EXTENSION btree_gist;

CREATE TYPE seatrange AS RANGE (subtype = integer);

CREATE TABLE rooms (
    id integer PRIMARY KEY
);

CREATE TABLE reservations (
    id integer PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id),
    during tstzrange NOT NULL,
    CONSTRAINT no_double_booking EXCLUDE USING gist (room_id WITH =, during WITH &&)
);

CREATE TABLE seat_holds (
    id integer PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id),
    seats seatrange NOT NULL,
    EXCLUDE USING gist (room_id WITH =, seats WITH &&) WHERE (NOT isempty(seats))
);
