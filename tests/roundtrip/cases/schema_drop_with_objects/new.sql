-- schema_drop_with_objects: a non-public schema with a table, function and enum is dropped entirely
CREATE TABLE public.kept (
    id integer PRIMARY KEY
);
