-- priv_view_column_grants: column privileges of a view and a materialized view's table-level grant: added, changed and removed; a new view with column grants
CREATE TABLE people (id bigint PRIMARY KEY, name text, email text, "Note" text);
CREATE VIEW people_public AS SELECT id, name, email, "Note" FROM people;
GRANT SELECT (id, name) ON people_public TO pgs_reader;
GRANT UPDATE (name) ON people_public TO pgs_writer WITH GRANT OPTION;
