-- quoted_identifiers: identifiers with embedded double quotes, spaces, capitals, semicolons and reserved words (table "user", columns "order", "select")
CREATE TABLE "user" (
    id integer PRIMARY KEY,
    "order" bigint NOT NULL DEFAULT 0,
    "select" text,
    "group" text UNIQUE
);

CREATE TABLE "we""ird" (
    "Id" integer PRIMARY KEY,
    "a;b" varchar(10),
    "col with spaces" text,
    "Quote""Inside" integer REFERENCES "user" (id)
);

CREATE INDEX "idx ""we""ird"" a;b" ON "we""ird" ("a;b");

CREATE TABLE "Table; DROP TABLE x; --" (
    "from" integer,
    "to" integer,
    CONSTRAINT "check ""from"" < ""to""" CHECK ("from" < "to")
);
