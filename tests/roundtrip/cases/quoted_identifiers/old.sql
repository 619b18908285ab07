-- quoted_identifiers: identifiers with embedded double quotes, spaces, capitals, semicolons and reserved words (table "user", columns "order", "select")
CREATE TABLE "user" (
    id integer PRIMARY KEY,
    "order" integer
);

CREATE TABLE "we""ird" (
    "Id" integer PRIMARY KEY,
    "a;b" text
);
