-- rls_policy_restrictive: a RESTRICTIVE policy added next to a permissive one; policy command changes FOR SELECT -> FOR DELETE (needs drop + create)
CREATE TABLE records (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    deleted boolean NOT NULL DEFAULT false
);

ALTER TABLE records ENABLE ROW LEVEL SECURITY;
ALTER TABLE records FORCE ROW LEVEL SECURITY;

CREATE POLICY records_tenant ON records
    AS PERMISSIVE
    USING (tenant_id = current_setting('app.tenant_id')::integer);

CREATE POLICY records_not_deleted ON records
    AS RESTRICTIVE
    FOR SELECT
    TO PUBLIC
    USING (NOT deleted);

CREATE POLICY records_cleanup ON records
    FOR DELETE
    USING (deleted);
