//! Privileges read from the catalog: the ACL and owner of every object the IR models
//! (`relacl`, `attacl`, `proacl`, `nspacl`, `typacl`), `pg_default_acl`, and the server's
//! roles. Three queries, whatever the number of objects; the normal form is described in
//! `schema::privileges`.

use crate::schema::privileges::{
    is_initial_public_schema, Acl, DefaultClass, DefaultKey, ObjectPrivileges, Privileges,
};
use crate::schema::ObjectId;
use postgres::Row;
use std::collections::BTreeSet;

/// The owner when it is not the database's owner, and one row per ACL item that is not
/// the owner's own (a row of NULLs for an explicit ACL that grants nothing to others).
/// Only objects with an explicit ACL or another owner are listed. A column's row has the
/// column's name.
pub const ACLS: &str = concat!(
    "SELECT o.cat, o.oid, o.sub,
       CASE WHEN o.owner IN (d.datdba, 'pg_database_owner'::pg_catalog.regrole) THEN NULL
            ELSE pg_catalog.pg_get_userbyid(o.owner)::text END,
       o.acl IS NOT NULL,
       CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END,
       x.privilege_type, x.is_grantable, o.col
FROM (
  SELECT 'pg_class', c.oid, 0, c.relowner, c.relacl, NULL::text
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_class", "c.oid"),
    "
  UNION ALL
  SELECT 'pg_class', a.attrelid, a.attnum::int, c.relowner, a.attacl, a.attname::text
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
    AND c.relkind IN ('r', 'p', 'v', 'm') AND ",
    user_namespace!(),
    "
  UNION ALL
  SELECT 'pg_proc', p.oid, 0, p.proowner, p.proacl, NULL::text
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE p.prokind IN ('f', 'p') AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_proc", "p.oid"),
    "
  UNION ALL
  SELECT 'pg_namespace', n.oid, 0, n.nspowner, n.nspacl, NULL::text
  FROM pg_catalog.pg_namespace n WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_namespace", "n.oid"),
    "
  UNION ALL
  SELECT 'pg_type', t.oid, 0, t.typowner, t.typacl, NULL::text
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid
  WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND tc.relkind = 'c')) AND ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_catalog.pg_type", "t.oid"),
    "
) o(cat, oid, sub, owner, acl, col)
CROSS JOIN (SELECT datdba FROM pg_catalog.pg_database
            WHERE datname = pg_catalog.current_database()) d
LEFT JOIN LATERAL pg_catalog.aclexplode(o.acl) x ON x.grantee <> o.owner
WHERE o.acl IS NOT NULL OR o.owner NOT IN (d.datdba, 'pg_database_owner'::pg_catalog.regrole)
ORDER BY 1, 2, 3",
);

/// `ALTER DEFAULT PRIVILEGES` entries, one row per ACL item other than the role's own;
/// the role is NULL when it is the database's owner, the schema NULL for a global entry.
pub const DEFAULT_ACLS: &str = concat!(
    "SELECT CASE WHEN a.defaclrole = d.datdba THEN NULL
            ELSE pg_catalog.pg_get_userbyid(a.defaclrole)::text END,
       n.nspname::text, a.defaclobjtype::text,
       CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END,
       x.privilege_type, x.is_grantable
FROM pg_catalog.pg_default_acl a
CROSS JOIN (SELECT datdba FROM pg_catalog.pg_database
            WHERE datname = pg_catalog.current_database()) d
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = a.defaclnamespace
LEFT JOIN LATERAL pg_catalog.aclexplode(a.defaclacl) x ON x.grantee <> a.defaclrole
WHERE a.defaclnamespace = 0 OR (",
    user_namespace!(),
    ")",
);

/// Every role of the server, and which owns the database.
pub const ROLES: &str = "\
SELECT r.rolname::text, r.oid = d.datdba
FROM pg_catalog.pg_roles r
CROSS JOIN (SELECT datdba FROM pg_catalog.pg_database
            WHERE datname = pg_catalog.current_database()) d";

fn add(acl: &mut Acl, r: &Row, at: usize) {
    if let (Some(grantee), Some(privilege)) = (
        r.get::<_, Option<String>>(at),
        r.get::<_, Option<String>>(at + 1),
    ) {
        acl.entry(grantee)
            .or_default()
            .insert(privilege, r.get(at + 2));
    }
}

/// Builds the privileges from the three queries' rows; `object` names what a catalog,
/// OID and sub-id are in the IR.
pub fn assemble(
    acls: &[Row],
    defaults: &[Row],
    roles: &[Row],
    object: impl Fn(&'static str, u32, i32) -> Option<ObjectId>,
) -> Privileges {
    let mut out = Privileges::default();
    for r in acls {
        let catalog = match r.get::<_, &str>(0) {
            "pg_class" => "pg_class",
            "pg_proc" => "pg_proc",
            "pg_namespace" => "pg_namespace",
            _ => "pg_type",
        };
        let sub: i32 = r.get(2);
        let Some(id) = object(catalog, r.get(1), sub) else {
            continue;
        };
        // The graph knows a view's columns as the view itself: its column privileges
        // are the view's column by name.
        let id = match (sub, id) {
            (0, id) => id,
            (_, ObjectId::View(v)) => match r.get::<_, Option<String>>(8) {
                Some(column) => ObjectId::Column(v, column.into()),
                None => continue,
            },
            (_, id @ ObjectId::Column(..)) => id,
            _ => continue,
        };
        let entry: &mut ObjectPrivileges = out.objects.entry(id).or_default();
        if sub == 0 {
            entry.owner = r.get(3);
        }
        if r.get::<_, bool>(4) {
            add(entry.acl.get_or_insert_with(Acl::new), r, 5);
        }
    }
    for (id, p) in out.objects.iter_mut() {
        if p.acl
            .as_ref()
            .is_some_and(|a| is_initial_public_schema(id, a))
        {
            p.acl = None;
        }
    }
    out.objects
        .retain(|_, p| p.owner.is_some() || p.acl.is_some());
    for r in defaults {
        let Some(class) = DefaultClass::from_catalog(r.get(2)) else {
            continue;
        };
        let key = DefaultKey {
            role: r.get(0),
            schema: r.get::<_, Option<&str>>(1).map(Into::into),
            class,
        };
        add(out.defaults.entry(key).or_default(), r, 3);
    }
    let mut names = BTreeSet::new();
    for r in roles {
        let name: String = r.get(0);
        if r.get::<_, bool>(1) {
            out.database_owner = Some(name.clone());
        }
        names.insert(name);
    }
    out.roles = Some(names);
    out
}
