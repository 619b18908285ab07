-- range_column_and_multirange: a new range type used by new columns (range, multirange, array of ranges) on a populated table, and by a function
CREATE TABLE bookings (
    id integer PRIMARY KEY,
    guest text NOT NULL
);
