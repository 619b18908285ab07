CREATE TABLE orders (
    id bigint PRIMARY KEY,
    amount numeric(12, 2) CONSTRAINT amount_positive CHECK (amount > 0),
    reference text CONSTRAINT orders_ref_key UNIQUE,
    buyer_id bigint
);
CREATE TABLE customers (id bigint PRIMARY KEY);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (buyer_id) REFERENCES customers (id);
