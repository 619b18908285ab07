-- nullable-foreign-key fires on this schema.
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers);
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);

