-- fk-without-index fires on this schema.
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);

-- A partial index does not serve every lookup; a gin index none.
CREATE TABLE a (id bigint PRIMARY KEY);
CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a, live boolean);
CREATE INDEX ON b (a_id) WHERE live;
-- The second column of a composite key does not lead it.
CREATE TABLE c (a_id bigint REFERENCES a, n int, PRIMARY KEY (n, a_id));
