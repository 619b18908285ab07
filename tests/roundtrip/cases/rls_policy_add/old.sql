-- rls_policy_add: RLS enabled and permissive policies added (FOR SELECT with USING, FOR INSERT with WITH CHECK, FOR ALL with both)
CREATE TABLE documents (
    id integer PRIMARY KEY,
    owner text NOT NULL DEFAULT current_user,
    published boolean NOT NULL DEFAULT false
);
