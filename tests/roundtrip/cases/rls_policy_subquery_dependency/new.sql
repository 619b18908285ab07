-- rls_policy_subquery_dependency: a policy on one table whose USING subquery reads another new table (policy must come after both tables)
CREATE TABLE projects (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE project_members (
    project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    member text NOT NULL,
    PRIMARY KEY (project_id, member)
);

ALTER TABLE projects ENABLE ROW LEVEL SECURITY;

CREATE POLICY projects_members_only ON projects
    FOR SELECT
    USING (EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = projects.id AND m.member = current_user));
