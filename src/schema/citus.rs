//! How Citus (the distributed engine built on PostgreSQL) places a table: sharded by a
//! column, copied to every node, or kept on the coordinator under Citus's management.
//! Read from `pg_dist_partition` and `pg_dist_colocation` on the coordinator; see
//! docs/scale-out.md.

use super::{Name, QualifiedName, Schema};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A table's place in a Citus cluster. A table without one is a plain PostgreSQL table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Citus {
    /// `create_distributed_table(table, column)`: hash-sharded by `column`.
    Distributed {
        column: Name,
        /// Another table of its colocation group: the group's first table by name, so
        /// a group has one spelling (see `normalize_colocation`). None for the first table
        /// of a group, or a table alone in its group.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        colocate_with: Option<QualifiedName>,
        /// Set only when it differs from the server's `citus.shard_count`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shard_count: Option<u32>,
    },
    /// `create_reference_table(table)`: one shard, a copy on every node.
    Reference,
    /// `citus_add_local_table_to_metadata(table)`: stays on the coordinator, known to
    /// Citus (so foreign keys to reference tables work).
    Local,
}

impl Citus {
    pub fn distribution_column(&self) -> Option<&Name> {
        match self {
            Citus::Distributed { column, .. } => Some(column),
            _ => None,
        }
    }

    /// `distributed by tenant_id`, `reference`, `citus local`: for messages.
    pub fn describe(&self) -> String {
        match self {
            Citus::Distributed { column, .. } => format!("distributed by {column}"),
            Citus::Reference => "a reference table".into(),
            Citus::Local => "a Citus local table".into(),
        }
    }
}

/// Makes colocation one spelling: each distributed table names the first table (by name)
/// of its colocation group, and that first table names none. The groups are the
/// connected parts of the `colocate_with` links as declared (in any direction, through
/// any member).
pub fn normalize_colocation(schema: &mut Schema) {
    // Union-find over the declared links.
    let names: Vec<QualifiedName> = schema
        .tables
        .iter()
        .filter(|(_, t)| matches!(t.citus, Some(Citus::Distributed { .. })))
        .map(|(n, _)| n.clone())
        .collect();
    let index: BTreeMap<&QualifiedName, usize> =
        names.iter().enumerate().map(|(i, n)| (n, i)).collect();
    let mut parent: Vec<usize> = (0..names.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, n) in names.iter().enumerate() {
        if let Some(Citus::Distributed {
            colocate_with: Some(other),
            ..
        }) = &schema.tables[n].citus
        {
            if let Some(&j) = index.get(other) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                // The smaller index (the first name) becomes the root.
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi] = lo;
            }
        }
    }
    // A group's shard count, when its members that give one agree: Citus gives every
    // member the group's count, so a member that says nothing has it too.
    let mut counts: BTreeMap<usize, BTreeSet<Option<u32>>> = BTreeMap::new();
    for (i, n) in names.iter().enumerate() {
        if let Some(Citus::Distributed { shard_count, .. }) = &schema.tables[n].citus {
            counts
                .entry(root(&mut parent, i))
                .or_default()
                .insert(*shard_count);
        }
    }
    let group_count = |r: usize| -> Option<Option<u32>> {
        let given: Vec<u32> = counts.get(&r)?.iter().flatten().copied().collect();
        (given.len() == 1).then(|| Some(given[0]))
    };
    for i in 0..names.len() {
        let r = root(&mut parent, i);
        let count = group_count(r);
        let anchor = (r != i).then(|| names[r].clone());
        if let Some(Citus::Distributed {
            colocate_with,
            shard_count,
            ..
        }) = schema
            .tables
            .get_mut(&names[i])
            .and_then(|t| t.citus.as_mut())
        {
            // A link to a table that is not distributed stays, for the rule check to
            // report.
            let dangling = colocate_with
                .as_ref()
                .is_some_and(|c| !index.contains_key(c));
            if !dangling {
                *colocate_with = anchor;
            }
            if let Some(count) = count {
                *shard_count = count;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Table;

    fn distributed(name: &str, with: Option<&str>, count: Option<u32>) -> Table {
        let mut t: Table = serde_json::from_value(serde_json::json!({
            "name": format!("public.{name}"),
            "columns": [{ "name": "k", "data_type": "bigint" }],
        }))
        .unwrap();
        t.citus = Some(Citus::Distributed {
            column: "k".into(),
            colocate_with: with.map(|w| QualifiedName::new("public", w)),
            shard_count: count,
        });
        t
    }

    fn schema(tables: Vec<Table>) -> Schema {
        let mut s = Schema::default();
        for t in tables {
            s.tables.insert(t.name.clone(), t);
        }
        s
    }

    fn placement(s: &Schema, name: &str) -> Citus {
        s.tables[&QualifiedName::new("public", name)]
            .citus
            .clone()
            .unwrap()
    }

    #[test]
    fn a_group_is_spelled_from_its_first_table_with_the_shard_count_of_the_group() {
        // c -> b -> a written as a chain, d alone, e linked to a table that is not
        // distributed.
        let mut s = schema(vec![
            distributed("c", Some("b"), None),
            distributed("b", Some("a"), Some(8)),
            distributed("a", None, None),
            distributed("d", None, Some(4)),
            distributed("e", Some("nothing"), None),
        ]);
        normalize_colocation(&mut s);
        let anchor = Some(QualifiedName::new("public", "a"));
        for name in ["b", "c"] {
            assert_eq!(
                placement(&s, name),
                Citus::Distributed {
                    column: "k".into(),
                    colocate_with: anchor.clone(),
                    shard_count: Some(8)
                },
                "{name}"
            );
        }
        assert_eq!(
            placement(&s, "a"),
            Citus::Distributed {
                column: "k".into(),
                colocate_with: None,
                shard_count: Some(8)
            }
        );
        assert_eq!(
            placement(&s, "d"),
            distributed("d", None, Some(4)).citus.unwrap()
        );
        // Kept for the rule check to report.
        assert_eq!(
            placement(&s, "e"),
            distributed("e", Some("nothing"), None).citus.unwrap()
        );
    }

    #[test]
    fn a_group_written_from_its_other_end_is_the_same_group() {
        let mut one = schema(vec![
            distributed("a", Some("b"), None),
            distributed("b", None, None),
        ]);
        let mut other = schema(vec![
            distributed("a", None, None),
            distributed("b", Some("a"), None),
        ]);
        normalize_colocation(&mut one);
        normalize_colocation(&mut other);
        assert_eq!(one, other);
    }

    #[test]
    fn conflicting_shard_counts_stay_for_the_rule_check() {
        let mut s = schema(vec![
            distributed("a", None, Some(8)),
            distributed("b", Some("a"), Some(4)),
        ]);
        normalize_colocation(&mut s);
        assert_eq!(
            placement(&s, "b"),
            distributed("b", Some("a"), Some(4)).citus.unwrap()
        );
    }
}
