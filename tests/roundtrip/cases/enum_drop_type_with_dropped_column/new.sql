-- enum_drop_type_with_dropped_column: an enum type and the only column using it are both dropped
CREATE TABLE shipments (
    id integer PRIMARY KEY,
    address text NOT NULL
);
