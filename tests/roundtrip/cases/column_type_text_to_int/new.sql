-- column_type_text_to_int: text -> integer needs USING cast; the column default must be converted too
CREATE TABLE inventory (
    id integer PRIMARY KEY,
    quantity integer DEFAULT 0
);
