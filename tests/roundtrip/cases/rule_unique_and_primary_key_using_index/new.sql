-- rule_unique_and_primary_key_using_index: unique index built concurrently, then attached as the constraint
CREATE TABLE users (id integer NOT NULL, email text, tenant integer,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_tenant_email_key UNIQUE (tenant, email) DEFERRABLE INITIALLY DEFERRED);
