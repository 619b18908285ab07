-- index_in_schema_quoted: indexes with quoted names on a table in a non-public schema
CREATE SCHEMA crm;

CREATE TABLE crm."Leads" (
    id integer PRIMARY KEY,
    "Email" text,
    source text
);
