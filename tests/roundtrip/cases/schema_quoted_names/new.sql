-- schema_quoted_names: schemas whose names need quoting ("Mixed Case", "my schema") with objects in them
CREATE SCHEMA "Mixed Case";

CREATE TABLE "Mixed Case"."Accounts" (
    "AccountId" integer PRIMARY KEY,
    "Display Name" text,
    "Created At" timestamptz DEFAULT now()
);

CREATE SCHEMA "my schema";

CREATE TYPE "my schema"."Colour" AS ENUM ('Red', 'Green');

CREATE TABLE "my schema"."my table" (
    "my id" integer PRIMARY KEY,
    "account id" integer REFERENCES "Mixed Case"."Accounts" ("AccountId"),
    colour "my schema"."Colour"
);

CREATE INDEX "my index" ON "my schema"."my table" ("account id");
