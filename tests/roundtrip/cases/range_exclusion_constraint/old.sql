-- range_exclusion_constraint: no double bookings: exclusion constraints over a built-in and a user range type with btree_gist, added to existing tables
CREATE EXTENSION btree_gist;

CREATE TABLE rooms (
    id integer PRIMARY KEY
);

CREATE TABLE reservations (
    id integer PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id),
    during tstzrange NOT NULL
);
