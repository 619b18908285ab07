-- new_table_fk_to_new_table: two new tables where the alphabetically-first one has an FK to the other (creation order must follow dependencies)
CREATE TABLE m_existing (
    id integer PRIMARY KEY
);

CREATE TABLE z_customers (
    id integer PRIMARY KEY,
    existing_id integer REFERENCES m_existing (id)
);

CREATE TABLE a_orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES z_customers (id)
);
