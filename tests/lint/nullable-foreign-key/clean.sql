-- nullable-foreign-key does not fire on this schema.
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers);
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers);

-- ON DELETE SET NULL needs the column nullable.
CREATE TABLE notes (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers ON DELETE SET NULL);
