-- priv_schema_type_sequence: grants on a schema, an enum, a domain, a composite type and a sequence
CREATE SCHEMA billing;
CREATE TYPE billing.status AS ENUM ('open', 'paid');
CREATE DOMAIN billing.amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE TYPE billing.money_pair AS (a numeric, b numeric);
CREATE SEQUENCE billing.invoice_numbers;
