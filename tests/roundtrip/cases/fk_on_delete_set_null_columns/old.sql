-- fk_on_delete_set_null_columns: PG15 ON DELETE SET NULL (column list) / SET DEFAULT (column list) on a composite FK
CREATE TABLE t_tenants (
    tenant_id integer NOT NULL,
    id integer NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE t_notes (
    tenant_id integer NOT NULL,
    id integer NOT NULL,
    author_id integer,
    reviewer_id integer DEFAULT 0,
    PRIMARY KEY (tenant_id, id)
);
