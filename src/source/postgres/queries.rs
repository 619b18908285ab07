//! The catalog queries of introspection: a fixed set, whatever the size of the schema.
//!
//! Each runs once under `search_path = ''`, so `format_type`, `pg_get_expr` and the
//! `pg_get_*def` functions print every name of a user object schema-qualified, the same
//! way every time. `$1` is the list of schemas to read, or NULL for every user schema.

/// Schemas that hold user objects: not system ones, not made by an extension.
/// (Expanded into each query as a predicate on a `pg_namespace` alias `n`.)
macro_rules! user_namespace {
    () => {
        "n.nspname NOT IN ('pg_catalog', 'information_schema') \
         AND n.nspname NOT LIKE 'pg\\_%' \
         AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))"
    };
}

/// Objects that belong to an extension are the extension's business, not the schema's.
macro_rules! not_extension_member {
    ($catalog:literal, $oid:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = '",
            $catalog,
            "'::pg_catalog.regclass AND e.objid = ",
            $oid,
            " AND e.deptype = 'e')"
        )
    };
}

pub const NAMESPACES: &str = concat!(
    "SELECT n.oid, n.nspname::text FROM pg_catalog.pg_namespace n WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_namespace", "n.oid"),
);

pub const EXTENSIONS: &str = "\
SELECT x.oid, x.extname::text, n.nspname::text, NOT x.extrelocatable
FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
WHERE x.extname <> 'plpgsql'";

/// Every object that belongs to an extension, so dependencies on it become dependencies
/// on the extension.
pub const EXTENSION_MEMBERS: &str = "\
SELECT c.relname::text, d.objid, x.extname::text
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_class c ON c.oid = d.classid
JOIN pg_catalog.pg_extension x ON x.oid = d.refobjid
WHERE d.deptype = 'e' AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass";

/// Enums, domains and composite types (typtype e, d, c); ranges are read by RANGES, base
/// types reported by UNSUPPORTED.
pub const TYPES: &str = concat!(
    "SELECT t.oid, t.typarray, n.nspname::text, t.typname::text, t.typtype::text, t.typrelid,
       CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
       t.typnotnull,
       pg_catalog.pg_get_expr(t.typdefaultbin, 0),
       CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END,
       (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
          FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid
WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND tc.relkind = 'c')) AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_type", "t.oid"),
);

/// Range types, with what `CREATE TYPE ... AS RANGE` says about them and the OIDs of the
/// types made with them (array, multirange, multirange array), which columns may use.
pub const RANGES: &str = concat!(
    "SELECT t.oid, t.typarray, n.nspname::text, t.typname::text,
       pg_catalog.format_type(r.rngsubtype, NULL),
       CASE WHEN NOT opc.opcdefault
            THEN pg_catalog.quote_ident(opn.nspname) || '.' || pg_catalog.quote_ident(opc.opcname) END,
       CASE WHEN r.rngcollation <> st.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text END,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END,
       mn.nspname::text, mt.typname::text, mt.oid, mt.typarray
FROM pg_catalog.pg_range r
JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
LEFT JOIN pg_catalog.pg_collation co ON co.oid = r.rngcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
JOIN pg_catalog.pg_type mt ON mt.oid = r.rngmultitypid
JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace
WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_type", "t.oid"),
);

/// Extended statistics objects (their table is looked up among RELATIONS).
pub const STATISTICS: &str = concat!(
    "SELECT s.oid, s.stxrelid, n.nspname::text, s.stxname::text,
       pg_catalog.pg_get_statisticsobjdef(s.oid), NULLIF(s.stxstattarget::int, -1)
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_statistic_ext", "s.oid"),
);

pub const DOMAIN_CHECKS: &str = concat!(
    "SELECT c.contypid, c.conname::text, pg_catalog.pg_get_constraintdef(c.oid), c.oid
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_type t ON t.oid = c.contypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE c.contype = 'c' AND ",
    user_namespace!(),
);

/// Tables, partitions, views, materialized views, sequences and composite types' relations.
pub const RELATIONS: &str = concat!(
    "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, c.relpersistence::text,
       c.relrowsecurity, c.relforcerowsecurity,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relispartition THEN
         (SELECT i.inhparent FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) END,
       -- Partition bounds are constants: no relation needed to print them (see COLUMNS).
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END,
       COALESCE(c.reloptions::text[], '{}'),
       c.relreplident::text,
       (SELECT ic.relname::text FROM pg_catalog.pg_index x
          JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
         WHERE x.indrelid = c.oid AND x.indisreplident)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c') AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_class", "c.oid"),
);

/// Columns of the relations above (and attributes of composite types).
pub const COLUMNS: &str = concat!(
    "SELECT a.attrelid, a.attnum, a.attname::text,
       pg_catalog.format_type(a.atttypid, a.atttypmod),
       a.attnotnull,
       -- A default cannot refer to columns, so it is printed without its relation: with
       -- a relation, pg_get_expr opens it (a lock and a relcache entry per table), which
       -- made this query five times slower at 10,000 tables.
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0) END,
       CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END,
       a.attidentity::text,
       CASE WHEN a.attcollation <> t.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END,
       a.attislocal,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END,
       NULLIF(a.attstattarget::int, -1),
       NULLIF(a.attcompression::text, ''),
       -- A default calling a VOLATILE function (pgcrypto's gen_random_bytes, a user
       -- function) is computed per row: adding it rewrites the table. Built-in functions
       -- are pinned and have no pg_depend rows; those are recognized by name.
       EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_proc p ON p.oid = d.refobjid
               WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                 AND d.objid = ad.oid
                 AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                 AND p.provolatile = 'v')
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'c') AND ",
    user_namespace!(),
    " ORDER BY a.attrelid, a.attnum",
);

/// Sequences, with the table column that owns them (`OWNED BY`, deptype a) or whose
/// identity they implement (deptype i).
pub const SEQUENCES: &str = concat!(
    "SELECT s.seqrelid, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       d.refobjid, d.refobjsubid, d.deptype::text
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
     AND d.objid = s.seqrelid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
     AND d.deptype IN ('a', 'i')
WHERE ",
    user_namespace!(),
);

/// Table constraints declared on the table itself (not inherited by a partition).
pub const CONSTRAINTS: &str = concat!(
    "SELECT c.oid, c.conrelid, c.conname::text, c.contype::text,
       pg_catalog.pg_get_constraintdef(c.oid),
       -- Column numbers, named from COLUMNS by the client: a sub-query per constraint
       -- cost as much as the rest of the query but pg_get_constraintdef.
       c.conkey,
       CASE WHEN c.confrelid <> 0 THEN c.confrelid END,
       c.conindid
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
WHERE c.contype IN ('p', 'u', 'c', 'f', 'x') AND c.conislocal AND ",
    user_namespace!(),
);

/// Indexes of their own: not those behind a constraint (the constraint is the object)
/// nor those a partition gets from its partitioned parent's index. They are filtered here,
/// not after: `pg_get_indexdef` is the costly part of the query (about 70 µs an index).
pub const INDEXES: &str = concat!(
    "SELECT i.indexrelid, i.indrelid, ic.relname::text,
       pg_catalog.pg_get_indexdef(i.indexrelid), i.indisunique, i.indisvalid,
       -- A partitioned index's column names name the indexes made on partitions.
       CASE WHEN c.relkind = 'p' THEN ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = i.indexrelid AND a.attnum > 0 ORDER BY a.attnum) END
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid
                  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_class", "c.oid"),
);

pub const FUNCTIONS: &str = concat!(
    "SELECT p.oid, n.nspname::text, p.proname::text, p.prokind::text,
       pg_catalog.pg_get_function_identity_arguments(p.oid),
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_catalog.pg_get_function_result(p.oid) END,
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_catalog.pg_get_functiondef(p.oid) END
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_proc", "p.oid"),
    // The constructors of a range and of its multirange are made with the type
    // (deptype i) and are not user functions: CREATE FUNCTION ... LANGUAGE internal of
    // them fails.
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
         WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid
           AND i.deptype = 'i')",
);

/// User triggers; not internal ones (constraint triggers of foreign keys) nor the clones
/// PostgreSQL makes on partitions.
pub const TRIGGERS: &str = concat!(
    "SELECT t.oid, t.tgrelid, t.tgname::text, pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled::text
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ",
    user_namespace!(),
);

pub const POLICIES: &str = concat!(
    "SELECT p.oid, p.polrelid, p.polname::text, p.polpermissive, p.polcmd::text,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END
             FROM pg_catalog.unnest(p.polroles) r ORDER BY 1),
       pg_catalog.pg_get_expr(p.polqual, p.polrelid),
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ",
    user_namespace!(),
);

/// Every comment on a user object (OIDs from 16384 on are user objects).
pub const COMMENTS: &str = "\
SELECT c.relname::text, d.objoid, d.objsubid, d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_class c ON c.oid = d.classoid
WHERE d.objoid >= 16384 OR d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass";

/// Dependencies between user objects. A view's rule, a column's default and a domain's
/// CHECK constraint are reported as the view, the column and the domain they belong to (a
/// domain whose check calls a function needs the function first). A dependency on the row type of a table,
/// view or materialized view (or an array of it), such as a function taking `t` or
/// returning `SETOF v`, is reported as one on the relation: the row type is made and
/// dropped with it and is no object of its own in the IR.
pub const DEPENDENCIES: &str = "\
SELECT CASE WHEN r.oid IS NOT NULL OR ad.oid IS NOT NULL THEN 'pg_class'
            WHEN dcon.oid IS NOT NULL THEN 'pg_type' ELSE dc.relname::text END,
       COALESCE(r.ev_class, ad.adrelid, dcon.contypid, d.objid),
       COALESCE(ad.adnum::int, CASE WHEN r.oid IS NOT NULL OR dcon.oid IS NOT NULL THEN 0 END,
                d.objsubid),
       CASE WHEN rowrel.oid IS NOT NULL THEN 'pg_class' ELSE rc.relname::text END,
       COALESCE(rowrel.oid, d.refobjid),
       CASE WHEN rowrel.oid IS NOT NULL THEN 0 ELSE d.refobjsubid END
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_class dc ON dc.oid = d.classid
JOIN pg_catalog.pg_class rc ON rc.oid = d.refclassid
LEFT JOIN pg_catalog.pg_rewrite r
       ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND r.oid = d.objid
LEFT JOIN pg_catalog.pg_attrdef ad
       ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
LEFT JOIN pg_catalog.pg_constraint dcon
       ON d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND dcon.oid = d.objid
      AND dcon.contypid <> 0
LEFT JOIN pg_catalog.pg_type rt
       ON d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND rt.oid = d.refobjid
LEFT JOIN pg_catalog.pg_type rte ON rte.oid = rt.typelem AND rt.typelem <> 0
LEFT JOIN pg_catalog.pg_class rowrel
       ON rowrel.oid = COALESCE(NULLIF(rt.typrelid, 0), rte.typrelid)
      AND rowrel.relkind IN ('r', 'p', 'v', 'm')
WHERE d.objid >= 16384 AND d.refobjid >= 16384 AND d.deptype IN ('n', 'a')";

/// Objects of kinds the IR does not model yet, named so a diff can warn about them.
pub const UNSUPPORTED: &str = concat!(
    "SELECT kind, identity FROM (
  SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END AS kind,
         n.nspname || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS identity,
         n.nspname
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE p.prokind IN ('a', 'w') AND ",
    not_extension_member!("pg_catalog.pg_proc", "p.oid"),
    "
  UNION ALL
  SELECT 'operator', n.nspname || '.' || o.oprname, n.nspname
  FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
  WHERE o.oid >= 16384 AND ",
    not_extension_member!("pg_catalog.pg_operator", "o.oid"),
    "
  UNION ALL
  SELECT CASE c.relkind WHEN 'f' THEN 'foreign table' END, n.nspname || '.' || c.relname, n.nspname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'f'
  UNION ALL
  SELECT 'table inheritance', n.nspname || '.' || c.relname, n.nspname
  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE NOT c.relispartition AND c.relkind IN ('r', 'p')
  UNION ALL
  SELECT 'rule', n.nspname || '.' || c.relname || '.' || r.rulename, n.nspname
  FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE r.rulename <> '_RETURN' AND r.oid >= 16384
  UNION ALL
  SELECT 'base type', n.nspname || '.' || t.typname, n.nspname
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'b' AND t.oid >= 16384 AND t.typelem = 0 AND ",
    not_extension_member!("pg_catalog.pg_type", "t.oid"),
    "
  UNION ALL
  SELECT 'collation', n.nspname || '.' || co.collname, n.nspname
  FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
  WHERE co.oid >= 16384 AND ",
    not_extension_member!("pg_catalog.pg_collation", "co.oid"),
    "
  UNION ALL
  SELECT 'event trigger', e.evtname, NULL FROM pg_catalog.pg_event_trigger e
  UNION ALL
  SELECT 'publication', p.pubname, NULL FROM pg_catalog.pg_publication p
  UNION ALL
  SELECT 'text search configuration', n.nspname || '.' || c.cfgname, n.nspname
  FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
  WHERE c.oid >= 16384 AND ",
    not_extension_member!("pg_catalog.pg_ts_config", "c.oid"),
    "
) u(kind, identity, nspname)
WHERE nspname IS NULL OR (nspname NOT IN ('pg_catalog', 'information_schema')
  AND nspname NOT LIKE 'pg\\_%' AND ($1::text[] IS NULL OR nspname = ANY($1::text[])))
ORDER BY 1, 2",
);
