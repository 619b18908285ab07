-- pk_change_columns: a primary key changes from (id) to (tenant_id, id); an FK references the old PK and must be dropped first
CREATE TABLE projects (
    tenant_id integer NOT NULL,
    id integer NOT NULL,
    name text,
    PRIMARY KEY (id)
);

CREATE TABLE tasks (
    id integer PRIMARY KEY,
    project_id integer REFERENCES projects (id)
);
