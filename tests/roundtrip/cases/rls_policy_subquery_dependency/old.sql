-- rls_policy_subquery_dependency: a policy on one table whose USING subquery reads another new table (policy must come after both tables)
CREATE TABLE projects (
    id integer PRIMARY KEY,
    name text NOT NULL
);

ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
