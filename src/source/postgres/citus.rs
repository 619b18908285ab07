//! Citus placements, read from Citus's catalogs on the coordinator when the `citus`
//! extension is installed: `pg_dist_partition` (how each table is placed) and
//! `pg_dist_colocation` (the shard count of each colocation group). Shards are tables of
//! their own on the nodes that hold them (`orders_102008`); Citus hides them from catalog
//! queries on the coordinator, and any that show anyway are left out here. Citus's own
//! extensions (`citus`, `citus_columnar`) are infrastructure, not part of the schema.

use crate::schema::{normalize_colocation, Citus, QualifiedName, Schema, Unsupported};
use postgres::Transaction;
use std::collections::{BTreeMap, BTreeSet};

/// Citus's own extensions: installed per node by whoever runs the cluster.
pub const OWN_EXTENSIONS: &[&str] = &["citus", "citus_columnar"];

const INSTALLED: &str =
    "SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus')";

/// Every Citus table: schema, name, partition method, replication model, distribution
/// column, colocation group, the group's shard count, and the server's default count.
const PLACEMENTS: &str = "\
SELECT n.nspname::text, c.relname::text, p.partmethod::text, p.repmodel::text,
       CASE WHEN p.partmethod = 'h'
            THEN pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END,
       p.colocationid, g.shardcount,
       pg_catalog.current_setting('citus.shard_count')::int
FROM pg_catalog.pg_dist_partition p
JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_dist_colocation g ON g.colocationid = p.colocationid
ORDER BY 1, 2";

/// The names shards get: the table's name, `_`, the shard's id.
const SHARDS: &str = "\
SELECT n.nspname::text, c.relname::text || '_' || s.shardid::text
FROM pg_catalog.pg_dist_shard s
JOIN pg_catalog.pg_class c ON c.oid = s.logicalrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";

/// Reads the placements into `schema` (read before the exclusion patterns apply).
pub fn read(tx: &mut Transaction<'_>, schema: &mut Schema) -> Result<(), postgres::Error> {
    if !tx.query_one(INSTALLED, &[])?.get::<_, bool>(0) {
        return Ok(());
    }
    for name in OWN_EXTENSIONS {
        schema.extensions.remove(*name);
    }
    // Citus's event trigger (`citus_cascade_to_partition`) is not an extension member.
    schema
        .unsupported
        .retain(|u| !(u.kind == "event trigger" && u.identity.starts_with("citus_")));
    for r in tx.query(SHARDS, &[])? {
        let shard = QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1));
        schema.tables.remove(&shard);
    }
    let mut groups: BTreeMap<i32, BTreeSet<QualifiedName>> = BTreeMap::new();
    for r in tx.query(PLACEMENTS, &[])? {
        let name = QualifiedName::new(r.get::<_, String>(0), r.get::<_, String>(1));
        let (method, model): (String, String) = (r.get(2), r.get(3));
        let column: Option<String> = r.get(4);
        let group: i32 = r.get(5);
        let shards: Option<i32> = r.get(6);
        let default_shards: i32 = r.get(7);
        let Some(table) = schema.tables.get_mut(&name) else {
            continue;
        };
        // A partition is placed with its parent.
        if table.partition_of.is_some() {
            continue;
        }
        table.citus = match (method.as_str(), model.as_str(), column) {
            ("h", _, Some(column)) => {
                groups.entry(group).or_default().insert(name.clone());
                Some(Citus::Distributed {
                    column: column.into(),
                    colocate_with: None,
                    shard_count: shards.filter(|n| *n != default_shards).map(|n| n as u32),
                })
            }
            ("n", "t", _) => Some(Citus::Reference),
            ("n", "s", _) if group == 0 => Some(Citus::Local),
            _ => {
                // Single-shard tables of schema-based sharding, append-distributed tables.
                schema.unsupported.push(Unsupported {
                    kind: "Citus table".into(),
                    identity: format!(
                        "{} (partition method {method}, replication model {model})",
                        crate::sql::qualified(&name)
                    ),
                });
                None
            }
        };
    }
    for members in groups.values() {
        let mut members = members.iter();
        let Some(first) = members.next() else {
            continue;
        };
        for m in members {
            if let Some(Citus::Distributed { colocate_with, .. }) =
                schema.tables.get_mut(m).and_then(|t| t.citus.as_mut())
            {
                *colocate_with = Some(first.clone());
            }
        }
    }
    normalize_colocation(schema);
    Ok(())
}
