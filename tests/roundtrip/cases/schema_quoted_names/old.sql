-- schema_quoted_names: schemas whose names need quoting ("Mixed Case", "my schema") with objects in them
CREATE SCHEMA "Mixed Case";

CREATE TABLE "Mixed Case"."Accounts" (
    "AccountId" integer PRIMARY KEY,
    "Display Name" text
);
