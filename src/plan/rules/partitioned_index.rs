//! A new index on an existing partitioned table, built the way that keeps writes going.
//! PostgreSQL 15 cannot build a partitioned table's index `CONCURRENTLY`; `CREATE INDEX`
//! on the parent holds a SHARE lock on every partition (INSERT, UPDATE and DELETE wait)
//! for the whole build. Instead (PostgreSQL manual, CREATE INDEX, "Notes"):
//!
//! 1. `CREATE INDEX ... ON ONLY parent`: the parent's index alone, INVALID, no data read;
//!    the same `ON ONLY` for each partition that is itself partitioned;
//! 2. `CREATE INDEX CONCURRENTLY` on each leaf partition, one at a time (writes go on);
//!    a partition that already has an equivalent index of its own keeps it: no build;
//! 3. `ALTER INDEX ... ATTACH PARTITION` of each partition's index, bottom up; once every
//!    partition's index is attached the parent's index becomes valid.
//!
//! Partition indexes take the names PostgreSQL would give them (`ddl::partition_index_name`).

use super::table_label;
use crate::plan::{chain, Hazard, HazardCode, Step};
use crate::schema::{ConstraintKind, Index, ObjectId, QualifiedName, Schema};
use crate::sql::ddl;
use std::collections::BTreeSet;

const OUTSIDE: &str = "CONCURRENTLY cannot run inside a transaction block";

/// The steps, chained in order; `None` when the definition is not one this rule can
/// transpose onto partitions (the caller falls back to a plain build with a hazard).
pub fn steps(
    old: &Schema,
    new: &Schema,
    parent: &QualifiedName,
    index: &Index,
) -> Option<Vec<Step>> {
    let id = ObjectId::Index(parent.clone(), index.name.clone());
    let on_only = ddl::index_on_only(&index.definition, &index.name, parent)?;
    let columns = match new.index_column_names.get(parent, &index.name) {
        Some(names) => names.to_vec(),
        None => ddl::index_column_names(&index.definition),
    };
    let mut build = Build {
        old,
        new,
        index,
        top: parent,
        columns,
        taken: taken_names(old, new),
        first: Step::new(format!(
            "create index {} on only {parent} (partitions' indexes built next, then attached)",
            index.name
        ))
        .sql(on_only)
        .creates(id.clone()),
        builds: vec![],
        attaches: vec![],
    };
    build.partitions(parent, &index.name)?;
    let mut steps = vec![build.first];
    steps.extend(build.builds);
    let mut attach = Step::new(format!(
        "attach the partitions' indexes to {} on {parent}",
        index.name
    ))
    .creates(id.clone());
    for statement in build.attaches {
        attach = attach.sql(statement);
    }
    if index.comment.is_some() {
        attach = attach.sql(ddl::comment_on(
            &format!("INDEX {}", ddl::index_name(parent, &index.name)),
            index.comment.as_deref(),
        ));
    }
    steps.push(attach);
    Some(chain(&id, steps))
}

struct Build<'a> {
    old: &'a Schema,
    new: &'a Schema,
    index: &'a Index,
    /// The partitioned table the index is made for.
    top: &'a QualifiedName,
    columns: Vec<String>,
    /// Relation names in use, by schema: a partition index's name must be free.
    taken: BTreeSet<(String, String)>,
    first: Step,
    builds: Vec<Step>,
    attaches: Vec<String>,
}

impl Build<'_> {
    /// Indexes for every partition of `table` (whose index is `table_index`), then their
    /// attachment to it.
    fn partitions(&mut self, table: &QualifiedName, table_index: &str) -> Option<()> {
        let partitions: Vec<(QualifiedName, bool)> = self
            .new
            .tables
            .values()
            .filter(|t| t.partition_of.as_ref().is_some_and(|p| &p.parent == table))
            .map(|t| (t.name.clone(), t.partition_key.is_none()))
            .collect();
        for (partition, leaf) in partitions {
            let existing = leaf
                .then(|| reusable(self.old, &partition, self.top, self.index))
                .flatten();
            let child = match existing {
                Some(name) => name,
                None => {
                    let schema = partition.schema.to_string();
                    let name = ddl::partition_index_name(&self.columns, &partition.name, |n| {
                        self.taken.contains(&(schema.clone(), n.to_string()))
                    });
                    self.taken.insert((schema, name.clone()));
                    let sql = ddl::index_on_partition(
                        &self.index.definition,
                        &self.index.name,
                        self.top,
                        &partition,
                        &name,
                        leaf,
                    )?;
                    if leaf {
                        self.builds.push(build_step(&partition, &name, sql));
                    } else {
                        self.first = std::mem::replace(&mut self.first, Step::new("")).sql(sql);
                        self.partitions(&partition, &name)?;
                    }
                    name
                }
            };
            self.attaches
                .push(ddl::attach_index(table, table_index, &partition, &child));
        }
        Some(())
    }
}

fn build_step(partition: &QualifiedName, name: &str, sql: String) -> Step {
    Step::new(format!("create index {name} on partition {partition}"))
        .sql(sql)
        .outside_transaction(OUTSIDE)
        .hazard(Hazard::new(
            HazardCode::IndexBuild,
            format!(
                "builds an index on partition {} with CONCURRENTLY: writes go on, but it \
                 scans the partition twice and waits for running transactions; if it fails \
                 it leaves an INVALID index",
                table_label(partition)
            ),
            "run it at a quiet time; if it fails, drop the INVALID index and run the \
             migration again",
        ))
}

/// An index `partition` has of its own (in `old`) that is the same as `index` of `top`:
/// PostgreSQL attaches such an index rather than build another, and so does the plan.
pub fn reusable(
    old: &Schema,
    partition: &QualifiedName,
    top: &QualifiedName,
    index: &Index,
) -> Option<String> {
    let wanted =
        ddl::index_on_partition(&index.definition, &index.name, top, partition, "", false)?;
    old.tables.get(partition)?.indexes.values().find_map(|own| {
        let theirs =
            ddl::index_on_partition(&own.definition, &own.name, partition, partition, "", false)?;
        (own.valid && theirs == wanted).then(|| own.name.to_string())
    })
}

/// Whether `index` of `partition` (in `old`) is attached, not dropped, by a new index of
/// the partition's parent (or the parent's parent) in `new`.
pub fn attached_by_new_parent_index(
    old: &Schema,
    new: &Schema,
    partition: &QualifiedName,
    index: &str,
) -> bool {
    let mut table = partition.clone();
    while let Some(parent) = new
        .tables
        .get(&table)
        .and_then(|t| t.partition_of.as_ref())
        .map(|p| p.parent.clone())
    {
        let Some(parent_table) = new.tables.get(&parent) else {
            return false;
        };
        let new_indexes = parent_table.indexes.values().filter(|i| {
            !old.tables
                .get(&parent)
                .is_some_and(|t| t.indexes.contains_key(&i.name))
        });
        for i in new_indexes {
            if reusable(old, partition, &parent, i).as_deref() == Some(index) {
                return true;
            }
        }
        table = parent;
    }
    false
}

/// Names of relations (tables, views, sequences, indexes, constraints' indexes, composite
/// types) in either schema, by schema name.
fn taken_names(old: &Schema, new: &Schema) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for s in [old, new] {
        let names = s
            .tables
            .keys()
            .chain(s.views.keys())
            .chain(s.sequences.keys())
            .chain(s.composites.keys());
        for n in names {
            out.insert((n.schema.to_string(), n.name.to_string()));
        }
        for t in s.tables.values() {
            let schema = t.name.schema.to_string();
            for i in t.indexes.keys() {
                out.insert((schema.clone(), i.to_string()));
            }
            for c in t.constraints.values() {
                if c.kind != ConstraintKind::Check && c.kind != ConstraintKind::ForeignKey {
                    out.insert((schema.clone(), c.name.to_string()));
                }
            }
        }
        for v in s.views.values() {
            for i in v.indexes.keys() {
                out.insert((v.name.schema.to_string(), i.to_string()));
            }
        }
    }
    out
}
