-- float-for-money fires on this schema.
CREATE TABLE products (id bigint PRIMARY KEY, price double precision NOT NULL);

CREATE TABLE invoices (id bigint PRIMARY KEY, "totalAmount" real, fee money);
