-- priv_schema_type_sequence: grants on a schema, an enum, a domain, a composite type and a sequence
CREATE SCHEMA billing;
CREATE TYPE billing.status AS ENUM ('open', 'paid');
CREATE DOMAIN billing.amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE TYPE billing.money_pair AS (a numeric, b numeric);
CREATE SEQUENCE billing.invoice_numbers;
GRANT USAGE, CREATE ON SCHEMA billing TO pgs_app;
REVOKE USAGE ON TYPE billing.status FROM PUBLIC;
GRANT USAGE ON TYPE billing.status TO pgs_app;
REVOKE USAGE ON DOMAIN billing.amount FROM PUBLIC;
GRANT USAGE ON TYPE billing.money_pair TO pgs_app WITH GRANT OPTION;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE billing.invoice_numbers TO pgs_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
