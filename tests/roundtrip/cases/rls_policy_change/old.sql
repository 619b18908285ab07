-- rls_policy_change: policy USING / WITH CHECK expressions and target role (PUBLIC -> CURRENT_USER) changed; one policy dropped
CREATE TABLE tasks (
    id integer PRIMARY KEY,
    assignee text,
    tenant text NOT NULL,
    archived boolean NOT NULL DEFAULT false
);

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;

CREATE POLICY tasks_visible ON tasks
    FOR SELECT
    USING (assignee = current_user);

CREATE POLICY tasks_write ON tasks
    FOR UPDATE
    USING (assignee = current_user)
    WITH CHECK (assignee = current_user);

CREATE POLICY tasks_legacy ON tasks
    USING (true);
