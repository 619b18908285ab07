-- comment_schema_and_types: comments on a schema, an enum, a domain, a composite type and a sequence
CREATE SCHEMA sales;
CREATE TYPE sales.channel AS ENUM ('web', 'store');
CREATE DOMAIN sales.money_amount AS numeric(12,2);
CREATE TYPE sales.line AS (sku text, qty integer);
CREATE SEQUENCE sales.order_seq;

COMMENT ON SCHEMA sales IS 'Sales domain';
COMMENT ON TYPE sales.channel IS 'Where the sale happened';
COMMENT ON DOMAIN sales.money_amount IS 'Two decimal places';
COMMENT ON TYPE sales.line IS 'One order line';
COMMENT ON COLUMN sales.line.qty IS 'Units, not packs';
COMMENT ON SEQUENCE sales.order_seq IS 'Order numbers';
