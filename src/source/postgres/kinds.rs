//! Range types and extended statistics objects, from the RANGES and STATISTICS queries.

use super::{name_at, Comments, Oid, OidMap, Rel, Rows};
use crate::schema::*;
use rustc_hash::FxHashMap;

/// A range type, and the types made with it (its array, its multirange and that one's
/// array): a column of any of them needs the range.
pub(super) fn assemble_ranges(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
) {
    for r in &rows.ranges {
        let oid: Oid = r.get(0);
        let name = QualifiedName::new(name_at(r, 2), name_at(r, 3));
        let id = ObjectId::Type(name.clone());
        for made_with in [r.get(1), r.get(11), r.get(12)] {
            if made_with != 0 {
                oids.insert("pg_type", made_with, 0, id.clone());
            }
        }
        oids.insert("pg_type", oid, 0, id);
        let range = RangeType {
            name: name.clone(),
            subtype: r.get(4),
            subtype_opclass: r.get(5),
            collation: r.get(6),
            canonical: r.get(7),
            subtype_diff: r.get(8),
            multirange: QualifiedName::new(name_at(r, 9), name_at(r, 10)),
            comment: comments.take("pg_type", oid, 0),
        };
        schema.ranges.insert(name, range);
    }
}

pub(super) fn assemble_statistics(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    for r in &rows.statistics {
        let oid: Oid = r.get(0);
        let Some(Rel::Table(table)) = rels.get(&r.get::<_, Oid>(1)) else {
            continue;
        };
        let name = QualifiedName::new(name_at(r, 2), name_at(r, 3));
        oids.insert(
            "pg_statistic_ext",
            oid,
            0,
            ObjectId::Statistics(name.clone()),
        );
        let statistics = Statistics {
            name: name.clone(),
            table: table.clone(),
            definition: r.get(4),
            target: r.get(5),
            comment: comments.take("pg_statistic_ext", oid, 0),
        };
        schema.statistics.insert(name, statistics);
    }
}

/// NOT NULL columns of partitions (`(partition, column)`), kept where no table above the
/// partition says NOT NULL itself: what the partition declared of its own.
pub(super) fn partition_not_null(schema: &mut Schema, columns: Vec<(QualifiedName, Name)>) {
    let own: Vec<(QualifiedName, Name)> = columns
        .into_iter()
        .filter(|(t, c)| !root_column(schema, t, c).is_some_and(|c| c.not_null))
        .collect();
    // A partitioned partition's own NOT NULL is inherited below it.
    let declared_above = |t: &QualifiedName, c: &Name| {
        let mut at = schema.tables.get(t);
        while let Some(p) = at.and_then(|t| t.partition_of.as_ref()) {
            if own.iter().any(|(x, y)| x == &p.parent && y == c) {
                return true;
            }
            at = schema.tables.get(&p.parent);
        }
        false
    };
    let kept: Vec<(QualifiedName, Name)> = own
        .iter()
        .filter(|(t, c)| !declared_above(t, c))
        .cloned()
        .collect();
    for (partition, column) in kept {
        if let Some(p) = schema
            .tables
            .get_mut(&partition)
            .and_then(|t| t.partition_of.as_mut())
        {
            p.not_null.push(column);
        }
    }
}

/// The column as the partition tree's root table lists it.
fn root_column<'s>(schema: &'s Schema, table: &QualifiedName, column: &str) -> Option<&'s Column> {
    let mut t = schema.tables.get(table)?;
    while let Some(p) = &t.partition_of {
        t = schema.tables.get(&p.parent)?;
    }
    t.column(column)
}
