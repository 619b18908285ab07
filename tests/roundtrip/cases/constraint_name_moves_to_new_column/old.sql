-- A constraint's name kept while the column it is on is replaced by another (no rename
-- hint: the old column is dropped in the contract phase, the constraint of that name must
-- be dropped in expand before the new one is added).
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    amount_cents integer CONSTRAINT amount_positive CHECK (amount_cents > 0),
    ref text CONSTRAINT orders_ref_key UNIQUE,
    customer_id bigint
);
CREATE TABLE customers (id bigint PRIMARY KEY);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
