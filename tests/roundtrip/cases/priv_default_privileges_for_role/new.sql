-- priv_default_privileges_for_role: default privileges of another role (FOR ROLE), globally and in a schema, changed
CREATE SCHEMA shared;
ALTER DEFAULT PRIVILEGES FOR ROLE pgs_owner IN SCHEMA shared GRANT SELECT, UPDATE ON TABLES TO pgs_reader WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE pgs_owner GRANT USAGE ON SEQUENCES TO pgs_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE pgs_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
