-- bigserial_to_identity_always_quoted: a bigserial key in a quoted schema and table ("Sales"."Order Lines") becomes GENERATED ALWAYS; rows keep their keys, the next insert goes on
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Order Lines" (
    "Line ID" bigserial PRIMARY KEY,
    sku text NOT NULL
);
