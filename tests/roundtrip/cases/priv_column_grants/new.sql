-- priv_column_grants: column-level privileges added, changed and removed, on a new column too
CREATE TABLE "User Profiles" (id bigint PRIMARY KEY, email text, "display name" text, bio text);
GRANT SELECT (id, "display name", bio) ON "User Profiles" TO pgs_reader;
GRANT UPDATE ("display name") ON "User Profiles" TO pgs_writer WITH GRANT OPTION;
GRANT INSERT (bio) ON "User Profiles" TO pgs_writer;
