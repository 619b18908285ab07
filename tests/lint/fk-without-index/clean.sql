-- fk-without-index does not fire on this schema.
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
CREATE INDEX ON orders (customer_id);

-- A composite key's columns lead an index in another order; a unique constraint counts.
CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE q (a int, b int, FOREIGN KEY (a, b) REFERENCES p);
CREATE INDEX ON q (b, a);
CREATE TABLE r (id bigint PRIMARY KEY, c_id bigint REFERENCES customers UNIQUE);
