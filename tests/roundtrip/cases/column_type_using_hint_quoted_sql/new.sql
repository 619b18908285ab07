-- column_type_using_hint_quoted_sql: `-- pgshift: using` comments on quoted columns of a quoted schema-qualified table (CREATE TABLE IF NOT EXISTS), a hint that replaces pgshift's own text -> integer cast, a retyped column read by a view, on rows
CREATE SCHEMA "Billing";
CREATE TABLE IF NOT EXISTS "Billing"."Invoices" (
    id bigint PRIMARY KEY,
    -- the way back: midnight UTC of the day, in epoch seconds
    "Issued At" date /* pgshift: downgrade_using extract(epoch FROM "Issued At")::bigint */ NOT NULL, -- pgshift: using (to_timestamp("Issued At") AT TIME ZONE 'UTC')::date
    "Qty" integer NOT NULL DEFAULT 0 -- pgshift: using coalesce(nullif(trim("Qty"), ''), '0')::integer
);
CREATE VIEW "Billing".recent AS SELECT id, "Issued At" FROM "Billing"."Invoices" WHERE id > 0;
