-- priv_column_grants: column-level privileges added, changed and removed, on a new column too
CREATE TABLE "User Profiles" (id bigint PRIMARY KEY, email text, "display name" text);
GRANT SELECT (id, email) ON "User Profiles" TO pgs_reader;
GRANT UPDATE (email) ON "User Profiles" TO pgs_writer;
