-- priv_view_column_grants: column privileges of a view and a materialized view's table-level grant: added, changed and removed; a new view with column grants
CREATE TABLE people (id bigint PRIMARY KEY, name text, email text, "Note" text);
CREATE VIEW people_public AS SELECT id, name, email, "Note" FROM people;
GRANT SELECT (id, name, email) ON people_public TO pgs_reader;
GRANT UPDATE ("Note") ON people_public TO pgs_writer;
CREATE VIEW "People Names" AS SELECT id, name FROM people;
GRANT SELECT (name) ON "People Names" TO pgs_reader;
GRANT INSERT (id, name) ON "People Names" TO pgs_writer;
CREATE MATERIALIZED VIEW people_count AS SELECT count(*) AS n FROM people;
GRANT SELECT ON people_count TO pgs_reader;
