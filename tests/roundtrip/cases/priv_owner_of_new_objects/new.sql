-- priv_owner_of_new_objects: new objects with another owner and grants, created and dropped whole
CREATE SCHEMA reporting AUTHORIZATION pgs_owner;
CREATE TABLE reporting.totals (day date PRIMARY KEY, total numeric);
ALTER TABLE reporting.totals OWNER TO pgs_owner;
GRANT SELECT ON reporting.totals TO pgs_reader;
GRANT USAGE ON SCHEMA reporting TO pgs_reader;
CREATE MATERIALIZED VIEW reporting.last_week AS SELECT * FROM reporting.totals;
ALTER MATERIALIZED VIEW reporting.last_week OWNER TO pgs_owner;
