//! What partitions need beyond their table: the columns they take from their parent (for
//! ordering: a view reading a partition's column needs the partition) and the NOT NULL
//! they declare of their own.

use super::{chain, rules, Step};
use crate::schema::*;
use crate::sql::{ddl, ident};

/// The columns of `table` as ids: its own, or for a partition its root table's.
pub(super) fn column_ids(schema: &Schema, table: &Table) -> Vec<ObjectId> {
    let mut root = table;
    while let Some(p) = &root.partition_of {
        match schema.tables.get(&p.parent) {
            Some(parent) => root = parent,
            None => break,
        }
    }
    root.columns
        .iter()
        .map(|c| ObjectId::Column(table.name.clone(), c.name.clone()))
        .collect()
}

/// `SET NOT NULL` of a new partition's own NOT NULL columns (it is empty: no scan).
pub(super) fn create_not_null(t: &Table) -> Vec<String> {
    let Some(p) = &t.partition_of else {
        return vec![];
    };
    p.not_null
        .iter()
        .map(|c| ddl::alter_table(&t.name, &format!("ALTER COLUMN {} SET NOT NULL", ident(c))))
        .collect()
}

/// A partition's own NOT NULL set (through a validated check, as for any existing table)
/// or dropped.
pub(super) fn not_null_changes(o: &Table, n: &Table) -> Vec<Step> {
    let (Some(op), Some(np)) = (&o.partition_of, &n.partition_of) else {
        return vec![];
    };
    let mut steps = vec![];
    for c in np.not_null.iter().filter(|c| !op.not_null.contains(c)) {
        let id = ObjectId::Column(n.name.clone(), c.clone());
        steps.extend(chain(&id, rules::set_not_null::steps(&n.name, c)));
    }
    for c in op.not_null.iter().filter(|c| !np.not_null.contains(c)) {
        steps.push(
            Step::new(format!(
                "drop NOT NULL of partition column {}.{}",
                n.name,
                ident(c)
            ))
            .sql(ddl::alter_table(
                &n.name,
                &format!("ALTER COLUMN {} DROP NOT NULL", ident(c)),
            ))
            .creates(ObjectId::Column(n.name.clone(), c.clone())),
        );
    }
    steps
}
