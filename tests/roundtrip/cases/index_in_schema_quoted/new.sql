-- index_in_schema_quoted: indexes with quoted names on a table in a non-public schema
CREATE SCHEMA crm;

CREATE TABLE crm."Leads" (
    id integer PRIMARY KEY,
    "Email" text,
    source text
);

CREATE INDEX "Leads by Email" ON crm."Leads" ("Email");
CREATE INDEX "leads_source;idx" ON crm."Leads" (source);
