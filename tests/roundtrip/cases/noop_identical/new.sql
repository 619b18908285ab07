-- noop_identical: old and new are identical (written differently); the migration must be empty and the catalogs already equal
create table public.t (
    id integer not null,
    name character varying(20) default 'x'::character varying,
    created timestamptz default now(),
    constraint t_pkey primary key (id)
);
create index t_name_idx on public.t using btree (name asc);
create view public.v as select t.id, t.name from public.t where (t.id > 10);
