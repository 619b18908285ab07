-- view_options: view options added/changed (security_barrier, security_invoker (PG15), WITH CASCADED / LOCAL CHECK OPTION)
CREATE TABLE docs (
    id integer PRIMARY KEY,
    owner text NOT NULL,
    public boolean NOT NULL DEFAULT false
);

CREATE VIEW public_docs AS
    SELECT id, owner, public FROM docs WHERE public;

CREATE VIEW my_docs AS
    SELECT id, owner, public FROM docs WHERE owner = current_user;
