-- comment_schema_and_types: comments on a schema, an enum, a domain, a composite type and a sequence
CREATE SCHEMA sales;
CREATE TYPE sales.channel AS ENUM ('web', 'store');
CREATE DOMAIN sales.money_amount AS numeric(12,2);
CREATE TYPE sales.line AS (sku text, qty integer);
CREATE SEQUENCE sales.order_seq;
