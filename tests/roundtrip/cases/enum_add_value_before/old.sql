-- enum_add_value_before: a value inserted in the middle of an enum (ALTER TYPE ... ADD VALUE ... BEFORE), first position too
CREATE TYPE order_status AS ENUM ('pending', 'shipped', 'delivered');

CREATE TABLE orders (
    id integer PRIMARY KEY,
    status order_status NOT NULL DEFAULT 'pending'
);
