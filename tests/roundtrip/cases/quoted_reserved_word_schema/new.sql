-- quoted_reserved_word_schema: a schema and types named with reserved words ("select", "table", "default" enum label)
CREATE SCHEMA "select";

CREATE TYPE "select"."table" AS ENUM ('default', 'null', 'select');

CREATE TABLE "select"."where" (
    "limit" integer PRIMARY KEY,
    "offset" "select"."table" DEFAULT 'default',
    "null" boolean DEFAULT NULL
);
