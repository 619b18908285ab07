-- schema_add_with_objects: a new non-public schema containing a table, a sequence and a view
CREATE TABLE public.settings (
    key text PRIMARY KEY,
    value text
);
