-- column_type_using_hint_quoted_sql: `-- pgshift: using` comments on quoted columns of a quoted schema-qualified table (CREATE TABLE IF NOT EXISTS), a hint that replaces pgshift's own text -> integer cast, a retyped column read by a view, on rows
CREATE SCHEMA "Billing";
CREATE TABLE IF NOT EXISTS "Billing"."Invoices" (
    id bigint PRIMARY KEY,
    "Issued At" bigint NOT NULL,
    "Qty" text NOT NULL DEFAULT ''
);
CREATE VIEW "Billing".recent AS SELECT id, "Issued At" FROM "Billing"."Invoices" WHERE id > 0;
