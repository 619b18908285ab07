-- fk_composite: a new composite (two-column) foreign key to a composite unique key
CREATE TABLE tenants_users (
    tenant_id integer NOT NULL,
    user_id integer NOT NULL,
    CONSTRAINT tenants_users_key UNIQUE (tenant_id, user_id)
);

CREATE TABLE documents (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    owner_id integer NOT NULL
);
