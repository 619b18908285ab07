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
