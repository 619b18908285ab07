-- rls_policy_add: RLS enabled and permissive policies added (FOR SELECT with USING, FOR INSERT with WITH CHECK, FOR ALL with both)
CREATE TABLE documents (
    id integer PRIMARY KEY,
    owner text NOT NULL DEFAULT current_user,
    published boolean NOT NULL DEFAULT false
);

ALTER TABLE documents ENABLE ROW LEVEL SECURITY;

CREATE POLICY documents_read ON documents
    FOR SELECT
    USING (published OR owner = current_user);

CREATE POLICY documents_insert ON documents
    FOR INSERT
    WITH CHECK (owner = current_user);

CREATE POLICY documents_owner_all ON documents
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING (owner = current_user)
    WITH CHECK (owner = current_user AND NOT published);
